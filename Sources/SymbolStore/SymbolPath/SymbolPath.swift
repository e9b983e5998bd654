/// A debugger symbol path (`_NT_SYMBOL_PATH` syntax), parsed: the elements searched left to right.
public struct SymbolPath: Sendable, Hashable, CustomStringConvertible {
    /// Microsoft's public symbol server, which `.symfix` and a bare `srv*` stand for.
    public static let microsoftSymbolServer = "https://msdl.microsoft.com/download/symbols"

    public var elements: [SymbolPathElement]

    public init(elements: [SymbolPathElement]) {
        self.elements = elements
    }

    /// Parses a symbol path with the debuggers' grammar; see `SymbolPathParser`.
    public init(parsing text: String) throws(SymbolPathError) {
        self = try SymbolPathParser.parse(text)
    }

    /// What `.symfix [dir]` sets: a cache, then Microsoft's public server.
    public static func symfix(cache: StoreLocation = .defaultDownstream) -> SymbolPath {
        SymbolPath(elements: [.cache(cache), .server([.http(microsoftSymbolServer)])])
    }

    public var description: String {
        elements.map(\.text).joined(separator: ";")
    }

    /// The path with the default downstream store spelled out.
    public func expanded(defaultDownstream: String) -> SymbolPath {
        SymbolPath(elements: elements.map { $0.expanded(defaultDownstream: defaultDownstream) })
    }

    /// The `cache*` elements that apply to the element at `index`: every one to its left, in path order.
    public func caches(forElementAt index: Int) -> [StoreLocation] {
        elements[..<index].compactMap {
            if case .cache(let location) = $0 { return location }
            return nil
        }
    }
}
