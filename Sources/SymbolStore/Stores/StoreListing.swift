/// What one store held when it was walked, read in one pass (the root once, each name and key directory once),
/// so a listing of everything never reads a directory again per name.
public protocol StoreListing: Sendable {
    /// The names held, as `SymbolStoreBackend.names()` gives them.
    var names: [String] { get }
    /// The keys held for `name` (in any spelling the case rule accepts) that hold some variant, each once,
    /// with what `SymbolStoreBackend.variants(of:key:)` would say of them.
    func keys(of name: String) -> [StoredKey]
}

/// A key directory as a listing saw it: the store's spelling (the byte-wise first, when several spellings of
/// one key are merged) and the variants held under all of them.
public struct StoredKey: Sendable, Hashable {
    public var key: String
    public var variants: Set<SymbolRequest.Variant>

    public init(key: String, variants: Set<SymbolRequest.Variant>) {
        self.key = key
        self.variants = variants
    }
}
