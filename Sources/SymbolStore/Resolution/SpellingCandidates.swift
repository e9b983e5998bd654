/// The spellings a case-insensitive lookup tries for a name or key, straight as store paths (never by listing a
/// directory): clients and stores disagree on case (spec §2.2 "Key details", §2.7). SymSrv sends names as the
/// CodeView record spells them and keys in Microsoft's form, SSQP clients send everything lower case, and
/// producers have written keys in the wrong case (spec §7 #3).
public enum SpellingCandidates {
    /// The name as asked, then lower case (SSQP, most stores), then upper case; without duplicates.
    public static func names(_ name: String, caseInsensitive: Bool) -> [String] {
        guard caseInsensitive else { return [name] }
        return unique([name, name.lowercased(), name.uppercased()])
    }

    /// The key as asked, then Microsoft's canonical form, then all upper and all lower case; without duplicates.
    public static func keys(_ key: String, caseInsensitive: Bool) -> [String] {
        guard caseInsensitive else { return [key] }
        return unique([key, canonicalKey(key), key.uppercased(), key.lowercased()])
    }

    /// Microsoft's spelling of a key (spec §2.2): PE images and PDB 2.0 (8 to 16 hex digits) `%08X` + `%x`;
    /// PDB 7.0 (more than 32 hex digits) GUID upper + age lower, Portable PDB GUID + `FFFFFFFF` upper; a bare
    /// 32-digit GUID upper. Keys of other shapes (`elf-buildid-…`, `sha1-…`) follow SSQP: lower case.
    public static func canonicalKey(_ key: String) -> String {
        let isHex = !key.isEmpty && key.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 102) }
        guard isHex else { return key.lowercased() }
        let count = key.utf8.count
        if count > 32 {
            let guid = key.prefix(32).uppercased()
            let rest = key.dropFirst(32)
            return guid + (rest.uppercased() == "FFFFFFFF" ? "FFFFFFFF" : rest.lowercased())
        }
        if count == 32 { return key.uppercased() }
        if count > 8 && count <= 16 { return key.prefix(8).uppercased() + key.dropFirst(8).lowercased() }
        return key.uppercased()
    }

    /// Whether two spellings name the same thing under the given case rule.
    public static func same(_ a: String, _ b: String, caseInsensitive: Bool) -> Bool {
        caseInsensitive ? a.lowercased() == b.lowercased() : a == b
    }

    private static func unique(_ spellings: [String]) -> [String] {
        var seen = Set<String>()
        return spellings.filter { seen.insert($0).inserted }
    }
}
