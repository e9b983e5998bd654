/// A file a client asks for by its store path: `name/key/name`, or `name/key/msfz0/name` for the MSFZ form
/// (spec §2.6). Name and key are as the client spelled them.
public struct SymbolRequest: Sendable, Hashable, CustomStringConvertible {
    public enum Variant: Sendable, Hashable {
        case plain
        case msfz0
    }

    public var name: String
    public var key: String
    public var variant: Variant

    public init(name: String, key: String, variant: Variant = .plain) {
        self.name = name
        self.key = key
        self.variant = variant
    }

    public var description: String {
        variant == .plain ? "\(name)/\(key)/\(name)" : "\(name)/\(key)/msfz0/\(name)"
    }
}
