/// Merges listings from several stores: names or keys that differ only in case are one entry when matching is
/// case-insensitive (spec §7 #3: `tike.exe` and `Tike.exe` in one store), and the first spelling seen wins, so
/// stores earlier in the symbol path decide how an entry is spelled. The result is sorted.
struct CaseMergedList {
    private let caseInsensitive: Bool
    private var seen = Set<String>()
    private(set) var items: [String] = []

    init(caseInsensitive: Bool) {
        self.caseInsensitive = caseInsensitive
    }

    mutating func add(_ item: String) {
        if seen.insert(caseInsensitive ? item.lowercased() : item).inserted {
            items.append(item)
        }
    }

    mutating func add(contentsOf list: [String]) {
        for item in list { add(item) }
    }

    var sorted: [String] {
        items.sorted { a, b in
            let (la, lb) = (a.lowercased(), b.lowercased())
            return la != lb ? la < lb : a < b
        }
    }

    /// Lists merged in order; within one list, the byte-wise first spelling wins (directory order is arbitrary).
    static func merge(_ lists: [[String]], caseInsensitive: Bool) -> [String] {
        var merged = CaseMergedList(caseInsensitive: caseInsensitive)
        for list in lists { merged.add(contentsOf: list.sorted()) }
        return merged.sorted
    }
}
