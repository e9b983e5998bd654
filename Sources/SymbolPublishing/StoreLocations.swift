import SymbolStore

/// Where a store's layout (flat, or two-tier with `index2.txt`) puts `name/key`, as `/`-separated paths relative
/// to the root: the store core's `StorePaths`, so a writer and the mount never disagree.
struct StoreLocations {
    static let pointerFileName = FilePointer.fileName
    static let pingFileName = "pingme.txt"

    let paths: StorePaths

    init(root: String) {
        paths = StorePaths(layout: StoreLayout.of(root: root))
    }

    func keyDirectory(name: String, key: String) -> String {
        paths.keyDirectory(name: name, key: key).joined(separator: "/")
    }

    static func compressedName(_ name: String) -> String {
        StoreComponent.compressedName(name)
    }
}
