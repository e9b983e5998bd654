/// How big a bookkeeping file was before a transaction appended to it: so many bytes, or not there at all.
package enum BookkeepingSize: Sendable, Hashable {
    case absent
    case bytes(UInt64)

    var text: String {
        switch self {
        case .absent: return "-"
        case .bytes(let count): return String(count)
        }
    }

    init?(text: Substring) {
        if text == "-" {
            self = .absent
        } else if let count = UInt64(text) {
            self = .bytes(count)
        } else {
            return nil
        }
    }
}
