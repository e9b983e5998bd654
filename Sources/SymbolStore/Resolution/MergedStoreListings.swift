/// Every file of several stores' listings, merged by the case rule of `CaseMergedList`: stores earlier in the
/// symbol path decide how a name and a key are spelled, and a key's variants are those of every store.
enum MergedStoreListings {
    static func files(of listings: [any StoreListing], caseInsensitive: Bool) -> [StoredFile] {
        func folded(_ text: String) -> String { caseInsensitive ? text.lowercased() : text }
        var files: [StoredFile] = []
        for name in CaseMergedList.merge(listings.map(\.names), caseInsensitive: caseInsensitive) {
            let keysByStore = listings.map { $0.keys(of: name) }
            var variants: [String: Set<SymbolRequest.Variant>] = [:]
            for stored in keysByStore.joined() {
                variants[folded(stored.key), default: []].formUnion(stored.variants)
            }
            let keys = CaseMergedList.merge(keysByStore.map { $0.map(\.key) }, caseInsensitive: caseInsensitive)
            files += keys.map { StoredFile(name: name, key: $0, variants: variants[folded($0)] ?? []) }
        }
        return files
    }
}
