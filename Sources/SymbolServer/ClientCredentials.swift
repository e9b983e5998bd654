import Foundation

/// Who may ask (`--auth-file`): one credential a line, `user:password` for Basic authentication, anything else a
/// bearer token; blank lines and `#` comments are skipped. Checked in constant time per credential, and never
/// logged.
package struct ClientCredentials: Sendable {
    private let basic: [[UInt8]]
    private let bearer: [[UInt8]]

    package init(text: String) {
        var basic: [[UInt8]] = []
        var bearer: [[UInt8]] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let credential = line.trimmingCharacters(in: .whitespaces)
            if credential.isEmpty || credential.hasPrefix("#") { continue }
            if credential.contains(":") {
                basic.append(Array(credential.utf8))
            } else {
                bearer.append(Array(credential.utf8))
            }
        }
        self.basic = basic
        self.bearer = bearer
    }

    package var isEmpty: Bool { basic.isEmpty && bearer.isEmpty }

    /// Whether an `Authorization` header value names a known credential.
    package func admits(_ authorization: String?) -> Bool {
        guard let authorization else { return false }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return false }
        let value = parts[1].trimmingCharacters(in: .whitespaces)
        switch parts[0].lowercased() {
        case "basic":
            guard let decoded = Data(base64Encoded: value) else { return false }
            return Self.contains(basic, [UInt8](decoded))
        case "bearer":
            return Self.contains(bearer, Array(value.utf8))
        default:
            return false
        }
    }

    private static func contains(_ known: [[UInt8]], _ candidate: [UInt8]) -> Bool {
        known.reduce(false) { found, credential in equal(credential, candidate) || found }
    }

    /// Compares without stopping at the first difference, so timing tells nothing of where it was.
    private static func equal(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
