/// How a store arranges `name/key/name` below its root (spec §2.1): flat, or two-tier when the root holds
/// `index2.txt`, with every name under a folder named for its first two characters (`nt/ntdll.pdb/…`).
public enum StoreLayout: Sendable, Hashable {
    case flat
    case twoTier

    package static let twoTierMarker = "index2.txt"

    /// Reads the marker now (one `stat`), so a store converted while mounted is seen at the next lookup.
    package static func of(root: String) -> StoreLayout {
        LocalFileSystem.status(LocalFileSystem.join(root, twoTierMarker)) != nil ? .twoTier : .flat
    }

    /// The two-tier folder for `name`. Microsoft does not say how short names or case are handled; we follow
    /// Symbolicator (`get_symstore_index2_path`): the first two characters as spelled, but only the first when
    /// the second is `.` (`_.debug` → `_`), and a one-character name is its own folder. Ghidra instead
    /// lower-cases the folder and rejects names of two characters or fewer; a case-insensitive lookup also tries
    /// the lower-cased folder (see `prefixCandidates`), which covers stores written Ghidra's way.
    public static func prefix(of name: String) -> String {
        let characters = Array(name)
        if characters.count >= 2 && characters[1] == "." { return String(characters[0]) }
        return String(characters.prefix(2))
    }

    /// The folders a lookup of `name` tries in a two-tier store.
    static func prefixCandidates(of name: String, caseInsensitive: Bool) -> [String] {
        let asSpelled = prefix(of: name)
        guard caseInsensitive else { return [asSpelled] }
        return asSpelled == asSpelled.lowercased() ? [asSpelled] : [asSpelled, asSpelled.lowercased()]
    }
}
