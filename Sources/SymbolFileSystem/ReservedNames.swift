import SymbolStore

/// Names the file system itself uses at the root; a store entry spelled so is not shown.
enum ReservedNames {
    static let pingme = "pingme.txt"
    static let caseInsensitivityMarker = ".ciopfs"
    static let control = ".symfs"
    static let statistics = "stats"
    static let flatView = "flat"
    static let msfz = "msfz0"

    /// A store entry at the root that is not shown: store bookkeeping, temporary files, and the names above in
    /// any case.
    static func isHiddenAtRoot(_ name: String) -> Bool {
        !StoreComponent.isListable(name) || [caseInsensitivityMarker, control].contains(name.lowercased())
    }
}
