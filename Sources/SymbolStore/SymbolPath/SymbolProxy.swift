/// The proxy named by `_NT_SYMBOL_PROXY` (`host:port`, MSDN-dbg firewalls-and-proxy-servers).
public struct SymbolProxy: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(parsing text: String) throws(SymbolProxyError) {
        var value = text.filter { !$0.isWhitespace }
        if let scheme = value.firstRange(of: "://") {
            value = String(value[scheme.upperBound...])
        }
        while value.hasSuffix("/") { value.removeLast() }
        guard let colon = value.lastIndex(of: ":"), colon != value.startIndex,
              let port = Int(value[value.index(after: colon)...]), (1...65535).contains(port) else {
            throw SymbolProxyError(text: text)
        }
        host = String(value[..<colon])
        self.port = port
    }

    public var description: String { "\(host):\(port)" }
}

public struct SymbolProxyError: Error, Sendable, CustomStringConvertible {
    public var text: String
    public var description: String {
        "_NT_SYMBOL_PROXY '\(text)' is not host:port (e.g. proxy.example.com:8080)"
    }
}
