/// The listing of a symbol store (`name/key/…` directories), filled while walking it: name spellings as
/// `CaseMergedList` merges them, and per name (folded by the case rule) its keys with their variants.
struct StoreContents: StoreListing {
    private let caseInsensitive: Bool
    private var spellings: [String] = []
    private var keysByName: [String: [String: StoredKey]] = [:]

    init(caseInsensitive: Bool) {
        self.caseInsensitive = caseInsensitive
    }

    var names: [String] {
        CaseMergedList.merge([spellings], caseInsensitive: caseInsensitive)
    }

    func keys(of name: String) -> [StoredKey] {
        keysByName[folded(name)].map { Array($0.values) } ?? []
    }

    /// A name directory and the keys found in it; `keys` is empty for a directory lookups never search.
    mutating func add(name: String, keys: [StoredKey]) {
        spellings.append(name)
        for found in keys {
            keysByName[folded(name), default: [:]][folded(found.key), default: found].merge(found)
        }
    }

    private func folded(_ text: String) -> String {
        caseInsensitive ? text.lowercased() : text
    }
}

private extension StoredKey {
    /// Both spellings' variants, under the byte-wise first spelling (as `CaseMergedList.merge` keeps it).
    mutating func merge(_ other: StoredKey) {
        key = min(key, other.key)
        variants.formUnion(other.variants)
    }
}
