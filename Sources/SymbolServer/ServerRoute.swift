import SymbolStore

/// What a request path asks for (docs/symbol-stores.md §3.1, §4.1): a symbol file by its store path, one of the
/// server's own endpoints, or nothing the server has. A path is decoded once, strictly: a percent-escape that
/// decodes to a separator, a control byte or invalid UTF-8, and `.` or `..` components, are refused before any
/// lookup, so no spelling of a path can climb out of a store.
package enum ServerRoute: Sendable, Hashable {
    /// `/name/KEY/name` or `/name/KEY/msfz0/name`.
    case symbol(SymbolRequest)
    /// `/name/KEY/name_`: the CAB as a store holds it.
    case compressed(SymbolRequest)
    /// `/pingme.txt`: marks the server as a symbol store.
    case ping
    case metrics
    case health
    /// Anything else of a valid shape: a 404 without a lookup.
    case notFound
    /// A path no client may send (400).
    case invalid(String)

    package static let metricsPath = "metrics"
    package static let healthPath = "healthz"

    package init(path: String) {
        guard path.hasPrefix("/") else {
            self = .invalid("the path does not start with /")
            return
        }
        var components: [String] = []
        var empty = false
        for raw in path.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            if raw.isEmpty {
                empty = true
                continue
            }
            guard let component = Self.decode(raw) else {
                self = .invalid("a path component is not a valid name")
                return
            }
            components.append(component)
        }
        self = empty ? .notFound : Self.route(components)
    }

    private static func route(_ components: [String]) -> ServerRoute {
        switch components.count {
        case 1:
            switch components[0].lowercased() {
            case "pingme.txt": return .ping
            case metricsPath: return .metrics
            case healthPath: return .health
            default: return .notFound
            }
        case 3:
            let (name, key, file) = (components[0], components[1], components[2])
            if file.lowercased() == name.lowercased() { return .symbol(SymbolRequest(name: name, key: key)) }
            if file.lowercased() == StoreComponent.compressedName(name).lowercased(), file != name {
                return .compressed(SymbolRequest(name: name, key: key))
            }
            return .notFound
        case 4 where components[2].lowercased() == StorePaths.msfzFolder && components[3].lowercased() == components[0].lowercased():
            return .symbol(SymbolRequest(name: components[0], key: components[1], variant: .msfz0))
        default:
            return .notFound
        }
    }

    /// A percent-decoded path component, or nil when it is not a valid store component once decoded.
    static func decode(_ raw: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.utf8.count)
        var iterator = raw.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        guard let text = String(validating: bytes, as: UTF8.self), StoreComponent.isValid(text) else { return nil }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
