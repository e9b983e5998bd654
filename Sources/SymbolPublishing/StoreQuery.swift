/// `symfs query`: whether a store holds a file, where, and which transactions added it.
package struct StoreQuery {
    package struct Answer: Sendable, Codable {
        package var source: String
        package var name: String
        package var key: String
        /// Relative to the store's root: the copy, its CAB or its `file.ptr`; nil when the store lacks it.
        package var path: String?
        /// The transactions whose `refs.ptr` records name the file, oldest first.
        package var transactions: [Int]
        package var found: Bool { path != nil }
    }

    package let root: String

    package init(root: String) {
        self.root = root
    }

    package func find(_ file: IdentifiedFile) throws(PublishError) -> Answer {
        let locations = StoreLocations(root: root)
        let keyDirectory = locations.keyDirectory(name: file.name, key: file.key)
        let forms = [file.name, StoreLocations.compressedName(file.name), StoreLocations.pointerFileName]
        let held = forms.first { StoreFiles.exists(root + "/" + keyDirectory + "/" + $0) }
        let references = try KeyDirectoryReferences(root: root, keyDirectory: keyDirectory).references()
        return Answer(
            source: file.source, name: file.name, key: file.key, path: held.map { keyDirectory + "/" + $0 },
            transactions: references?.records.map(\.id) ?? [])
    }
}
