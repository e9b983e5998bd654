/// Where a resolved file is copied before it is opened (spec §1.1), and under which name and key: the spelling of
/// the store that holds it.
struct CopyPlan {
    let symbol: ResolvedSymbol
    /// The stores that get the file, leftmost first.
    let targets: [LocalSymbolStore]
    /// The stores that get the `file.ptr` the file was found through instead (they hold `wantsptr.txt`).
    let pointerTargets: [LocalSymbolStore]

    init(symbol: ResolvedSymbol, graph: StoreGraph) {
        self.symbol = symbol
        let targets = graph.copyTargets(for: symbol.origin)
        if case .pointer = symbol.form {
            pointerTargets = targets.filter(\.wantsPointers)
            self.targets = targets.filter { !$0.wantsPointers }
        } else {
            pointerTargets = []
            self.targets = targets
        }
    }

    var request: SymbolRequest { symbol.request }
    var storedName: String { symbol.spelling.name }
    var storedKey: String { symbol.spelling.key }

    /// Whether `target` is the directory the file was found in (nothing to copy there).
    func isOrigin(_ target: LocalSymbolStore) -> Bool {
        target.root == symbol.storeRoot
    }
}
