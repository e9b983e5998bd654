/// Makes the store for a server URL of a symbol path; nil leaves the URL out (no client to reach it).
package typealias RemoteStoreFactory = @Sendable (_ url: String, _ options: StoreOptions) -> (any RemoteSymbolStore)?

/// The stores of a symbol path, made once from its elements, each in its place (`PlacedStore`): what the resolver
/// searches left to right, and where a file found in one of them is copied (spec §1.1): into every `cache*` left
/// of its element, then every local store left of it in its `srv*` chain. Nothing is read from disk here.
final class StoreGraph: Sendable {
    /// The stores of each element, leftmost first.
    let elements: [[PlacedStore]]
    /// Every store, in search order.
    let stores: [PlacedStore]
    /// Where files go that no store left of their own can take (the default downstream store).
    let defaultStore: LocalSymbolStore

    init(
        symbolPath: SymbolPath, defaultDownstreamStore: String, options: StoreOptions,
        remoteStore: RemoteStoreFactory
    ) {
        defaultStore = LocalSymbolStore(root: defaultDownstreamStore, options: options)
        let expanded = symbolPath.expanded(defaultDownstream: defaultDownstreamStore).elements
        elements = expanded.enumerated().map { index, element in
            switch element {
            case .directory(let path):
                return [PlacedStore(
                    store: PlainDirectory(root: path, options: options), role: .plainDirectory, elementIndex: index,
                    tier: 0)]
            case .cache(let location):
                return [PlacedStore(
                    store: LocalSymbolStore(root: location.token, options: options), role: .cache,
                    elementIndex: index, tier: 0)]
            case .server(let locations):
                let stores: [any SymbolStoreBackend] = locations.compactMap { location in
                    switch location {
                    case .local(let path): return LocalSymbolStore(root: path, options: options)
                    case .defaultDownstream: return nil  // expanded above
                    case .http(let url):
                        guard let store = remoteStore(url, options) else {
                            options.logger.debug("\(url): no HTTP client; skipped")
                            return nil
                        }
                        return store
                    }
                }
                return stores.enumerated().map { tier, store in
                    PlacedStore(
                        store: store, role: tier == stores.count - 1 ? .upstream : .downstream, elementIndex: index,
                        tier: tier)
                }
            }
        }
        stores = elements.flatMap { $0 }
    }

    var hasRemoteStores: Bool { stores.contains { $0.remote != nil } }

    /// The local stores a file found in `origin` is copied into, leftmost first.
    func copyTargets(for origin: PlacedStore) -> [LocalSymbolStore] {
        let caches = elements[..<origin.elementIndex].flatMap { element in
            element.filter { $0.role == .cache }.compactMap { $0.store as? LocalSymbolStore }
        }
        let chain = elements[origin.elementIndex][..<origin.tier].compactMap { $0.store as? LocalSymbolStore }
        return caches + chain
    }

    /// Where files fetched down the path land first: the leftmost cache or downstream store, else the default
    /// downstream store.
    var landingCache: String {
        stores.first { ($0.role == .cache || $0.role == .downstream) && $0.store is LocalSymbolStore }?.store.root
            ?? defaultStore.root
    }

    /// Every local store root of the path and the default downstream store, each once.
    var localRoots: [String] {
        var seen = Set<String>()
        return (stores.compactMap { ($0.store as? LocalSymbolStore)?.root } + [defaultStore.root])
            .filter { seen.insert($0).inserted }
    }
}
