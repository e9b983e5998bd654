import SystemSupport
/// The parts of an absolute http(s) URL the client needs to judge redirects and pick headers. Not a general URL
/// parser: it splits `scheme://[userinfo@]host[:port]/rest` and nothing more.
package struct HTTPURL: Sendable, Hashable {
    /// Lower case.
    package var scheme: String
    /// Lower case, without brackets for IPv6 literals.
    package var host: String
    package var port: Int?

    package init?(_ text: String) {
        guard let separator = text.firstRange(of: "://") else { return nil }
        scheme = text[..<separator.lowerBound].lowercased()
        var authority = text[separator.upperBound...]
        if let end = authority.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) {
            authority = authority[..<end]
        }
        if let at = authority.lastIndex(of: "@") {
            authority = authority[authority.index(after: at)...]
        }
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = String(authority[authority.index(after: authority.startIndex)..<close]).lowercased()
            let rest = authority[authority.index(after: close)...]
            port = rest.hasPrefix(":") ? Int(rest.dropFirst()) : nil
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon]).lowercased()
            port = Int(authority[authority.index(after: colon)...])
        } else {
            host = String(authority).lowercased()
            port = nil
        }
        guard !host.isEmpty else { return nil }
    }

    package var isHTTP: Bool { scheme == "http" || scheme == "https" }

    /// The port a request goes to: the given one, else the scheme's.
    package var effectivePort: Int? { port ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : nil) }

    /// Whether credentials sent to `self` may go to `other` (curl's rule): the same host on the same port, or
    /// the same host moving from HTTP's default port up to HTTPS's.
    package func sharesCredentials(with other: HTTPURL) -> Bool {
        guard host == other.host else { return false }
        if effectivePort == other.effectivePort { return true }
        return scheme == "http" && other.scheme == "https" && effectivePort == 80 && other.effectivePort == 443
    }

    /// The URL without `?query` and `#fragment`: what logs and errors show (queries may hold signatures, such
    /// as Azure Blob SAS tokens, spec §3.2).
    package static func withoutQuery(_ url: String) -> String {
        guard let end = url.firstIndex(where: { $0 == "?" || $0 == "#" }) else { return url }
        return String(url[..<end])
    }
}

/// The rules for following a redirect by hand (spec §3.2, §3.3): only to http(s), never from HTTPS down to
/// HTTP, and without credentials once the chain leaves the host and port first asked.
package enum RedirectPolicy {
    package enum Decision: Sendable, Hashable {
        /// Follow; `keepCredentials` is false when the target is on another host or port than the original request.
        case follow(keepCredentials: Bool)
        case refuse(reason: String)
    }

    /// Whether to follow a redirect from `current` to `target`, for a chain that started at `original`.
    package static func judge(from current: String, to target: String, original: String) -> Decision {
        if let separator = target.firstRange(of: "://") {
            let scheme = target[..<separator.lowerBound].lowercased()
            guard scheme == "http" || scheme == "https" else { return .refuse(reason: "to scheme \(scheme)") }
        }
        guard let to = HTTPURL(target), to.isHTTP else { return .refuse(reason: "unparsable Location") }
        if let from = HTTPURL(current), from.scheme == "https", to.scheme == "http" {
            return .refuse(reason: "from HTTPS to HTTP")
        }
        guard let start = HTTPURL(original) else { return .follow(keepCredentials: false) }
        return .follow(keepCredentials: start.sharesCredentials(with: to))
    }

    /// Header names that carry credentials, dropped from a request's own headers when leaving the host.
    package static let credentialHeaders: Set<String> = ["authorization", "proxy-authorization", "cookie"]
}
