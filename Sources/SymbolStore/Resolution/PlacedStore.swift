/// A store in its place in a symbol path: which element holds it, where in its `srv*` chain, and what that place
/// makes it.
package struct PlacedStore: Sendable {
    package enum Role: Sendable, Hashable {
        /// `cache*dir`: searched like a store; files found right of it are copied into it.
        case cache
        /// A store of a `srv*` chain left of its last: files found further right are copied into it.
        case downstream
        /// The last store of a `srv*` chain, local or HTTP.
        case upstream
        /// A plain directory (spec §1.3), never written.
        case plainDirectory
    }

    package let store: any SymbolStoreBackend
    package let role: Role
    /// Index into the expanded symbol path's elements.
    package let elementIndex: Int
    /// Position in its element's chain, leftmost 0.
    package let tier: Int

    package init(store: any SymbolStoreBackend, role: Role, elementIndex: Int, tier: Int) {
        self.store = store
        self.role = role
        self.elementIndex = elementIndex
        self.tier = tier
    }

    /// A store that fetches its files from a server when opened (an HTTP store, or a test's stand-in).
    var remote: (any RemoteSymbolStore)? { store as? any RemoteSymbolStore }
}
