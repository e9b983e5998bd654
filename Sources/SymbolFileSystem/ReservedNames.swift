/// Names the file system itself uses at the root; a store entry spelled so is not shown.
enum ReservedNames {
    static let pingme = "pingme.txt"
    static let caseInsensitivityMarker = ".ciopfs"
    static let control = ".symfs"
    static let statistics = "stats"
    static let flatView = "flat"
    static let msfz = "msfz0"

    /// Store bookkeeping that is never a symbol file name.
    static let storeBookkeeping: Set<String> = ["pingme.txt", "index2.txt", "000admin", ".ciopfs", ".symfs"]

    static func isHiddenAtRoot(_ name: String) -> Bool {
        storeBookkeeping.contains(name.lowercased())
    }
}
