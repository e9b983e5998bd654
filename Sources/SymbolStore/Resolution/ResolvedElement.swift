/// One element of a symbol path with its stores made: what the resolver searches, left to right.
enum ResolvedElement: Sendable {
    /// A plain directory (spec §1.3).
    case directory(PlainDirectory)
    /// `cache*dir`: searched like a store; files found right of it are copied into it.
    case cache(LocalSymbolStore)
    /// `srv*…`: its stores, leftmost first, local and HTTP (`HTTPSymbolStore`).
    case server([any SymbolStoreBackend])

    var stores: [any SymbolStoreBackend] {
        switch self {
        case .directory(let directory): return [directory]
        case .cache(let store): return [store]
        case .server(let stores): return stores
        }
    }
}
