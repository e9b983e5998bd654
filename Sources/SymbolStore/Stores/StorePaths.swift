/// Where a store keeps a file below its root (spec §2.1–2.6): `[prefix/]name/key/name`, its compressed form
/// `name_` and its pointer `file.ptr` in the same key directory, its MSFZ form in `name/key/msfz0/name`. Paths are
/// components: local stores join them to their root, HTTP stores percent-encode them into a URL.
package struct StorePaths: Sendable, Hashable {
    package static let msfzFolder = "msfz0"

    /// What a key directory can hold for a file.
    package enum Form: Sendable, Hashable, CaseIterable {
        case file
        case compressed
        case pointer

        /// The file's name in this form.
        package func fileName(for name: String) -> String {
            switch self {
            case .file: return name
            case .compressed: return StoreComponent.compressedName(name)
            case .pointer: return FilePointer.fileName
            }
        }
    }

    package let layout: StoreLayout

    package init(layout: StoreLayout) {
        self.layout = layout
    }

    /// `[prefix/]name`; `prefix` replaces the two-tier folder's own spelling (a lookup also tries it lower-cased).
    package func nameDirectory(_ name: String, prefix: String? = nil) -> [String] {
        switch layout {
        case .flat: return [name]
        case .twoTier: return [prefix ?? StoreLayout.prefix(of: name), name]
        }
    }

    /// `[prefix/]name/key`
    package func keyDirectory(name: String, key: String, prefix: String? = nil) -> [String] {
        nameDirectory(name, prefix: prefix) + [key]
    }

    /// Where `variant` of `name/key` is kept in `form`; a pointer is always the key directory's own (MSFZ forms
    /// have none).
    func file(
        name: String, key: String, variant: SymbolRequest.Variant, form: Form = .file, fileName: String? = nil,
        prefix: String? = nil
    ) -> [String] {
        let directory = keyDirectory(name: name, key: key, prefix: prefix)
        let folder = variant == .msfz0 && form != .pointer ? [Self.msfzFolder] : []
        return directory + folder + [form.fileName(for: fileName ?? name)]
    }
}
