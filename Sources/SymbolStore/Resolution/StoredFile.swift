/// One `name/key` a listing found, with the variants held for it (`.plain` for `name/key/name` in any form,
/// `.msfz0` for `name/key/msfz0/name`).
public struct StoredFile: Sendable, Hashable {
    public var name: String
    public var key: String
    public var variants: Set<SymbolRequest.Variant>

    public init(name: String, key: String, variants: Set<SymbolRequest.Variant>) {
        self.name = name
        self.key = key
        self.variants = variants
    }
}
