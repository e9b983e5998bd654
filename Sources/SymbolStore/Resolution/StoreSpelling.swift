/// A file's name and key as the store that holds it spells them: copies into caches are filed under the same
/// spelling.
public struct StoreSpelling: Sendable, Hashable {
    public var name: String
    public var key: String

    public init(name: String, key: String) {
        self.name = name
        self.key = key
    }
}
