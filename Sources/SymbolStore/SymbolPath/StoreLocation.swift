/// Where one store of a symbol path lives.
public enum StoreLocation: Sendable, Hashable {
    /// The empty token (`srv**https://…`, `cache*`): the default downstream store (see `DefaultDownstreamStore`).
    case defaultDownstream
    /// A directory on a local (or locally mounted) file system.
    case local(String)
    /// An HTTP or HTTPS symbol server; the URL as written, without a trailing slash.
    case http(String)

    public var isHTTP: Bool {
        if case .http = self { return true }
        return false
    }

    /// The token as it is written in a symbol path.
    public var token: String {
        switch self {
        case .defaultDownstream: return ""
        case .local(let path): return path
        case .http(let url): return url
        }
    }

    /// The same location with the default downstream store spelled out as a directory.
    public func expanded(defaultDownstream: String) -> StoreLocation {
        self == .defaultDownstream ? .local(defaultDownstream) : self
    }
}
