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

extension SymbolPath {
    /// The path with relative directories made absolute against `currentDirectory` and a leading `~/` against
    /// `home`, so that it means the same after a daemon changes directory.
    public func absolutized(currentDirectory: String, home: String?) -> SymbolPath {
        func absolute(_ path: String) -> String {
            if path.hasPrefix("/") { return path }
            if let home, path == "~" || path.hasPrefix("~/") { return home + path.dropFirst() }
            return LocalFileSystem.join(currentDirectory, path)
        }
        func absolute(_ location: StoreLocation) -> StoreLocation {
            if case .local(let path) = location { return .local(absolute(path)) }
            return location
        }
        return SymbolPath(elements: elements.map { element in
            switch element {
            case .directory(let path): return .directory(absolute(path))
            case .cache(let location): return .cache(absolute(location))
            case .server(let stores): return .server(stores.map(absolute))
            }
        })
    }
}
