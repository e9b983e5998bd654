import SymbolFormats

/// One symbol file a prefetch fetches: its name and key, the module or input it is for, and whether the image,
/// once fetched, is read for the PDB it names (a dump module without a CodeView record: two steps).
package struct PrefetchTarget: Sendable, Hashable {
    package var file: SymbolKey
    package var module: String
    package var followsPDB: Bool

    package init(_ file: SymbolKey, module: String, followsPDB: Bool = false) {
        self.file = file
        self.module = module
        self.followsPDB = followsPDB
    }

    /// Case-insensitive, as stores and servers match names and keys: one fetch per file.
    package var identity: String { file.name.lowercased() + "/" + file.key.uppercased() }
}
