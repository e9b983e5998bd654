import SystemSupport
/// How an `HTTPClient` talks to symbol servers (spec §3.2, §3.3). One configuration per client; every request
/// of that client uses it.
public struct HTTPConfiguration: Sendable {
    /// A header sent to hosts whose name is `hostSuffix` or ends in `.hostSuffix` (compared case-insensitively),
    /// e.g. a personal access token `Authorization: Basic …` for an Azure DevOps symbol server (spec §3.3).
    /// Header values are never logged, and they are dropped once a redirect leaves the original host.
    public typealias ExtraHeader = (hostSuffix: String, name: String, value: String)

    /// SymSrv's agent string, which some servers require (spec §3.2).
    public var userAgent: String
    /// How long establishing a connection (TCP and TLS) may take.
    public var connectTimeout: Duration
    /// A transfer is aborted when fewer than `minimumSpeed` bytes/s arrive for this long (whole seconds, at least
    /// 1): a stall or a trickle. There is no cap on a transfer's total time: PDBs of 8–12 GB exist (spec §5, §7 #6);
    /// a request's own `deadline` caps it where a caller needs one (a lookup).
    public var stallTimeout: Duration
    /// The slowest a transfer may be, averaged over `stallTimeout`, in bytes per second (at least 1).
    public var minimumSpeed: Int
    /// Redirects followed per fetch; one more is `tooManyRedirects`.
    public var maximumRedirects: Int
    /// `host:port` of an HTTP proxy (`_NT_SYMBOL_PROXY`, spec §3.3). When nil, libcurl honours the usual
    /// `http_proxy`, `https_proxy` and `no_proxy` variables by itself.
    public var proxy: String?
    /// Headers added to requests by host (see `ExtraHeader`).
    public var extraHeaders: [ExtraHeader]
    /// Further attempts after a 5xx, 408 or 429 answer, or after a connection failure, reset or timeout that
    /// happened before any body byte reached the sink.
    public var retries: Int
    /// The first retry waits about this long; each further one twice as long, plus up to as much again of
    /// random jitter, never more than `maximumRetryDelay`.
    public var retryBaseDelay: Duration
    public var maximumRetryDelay: Duration
    /// Connections open at once to one host; further transfers to it wait for one to become free.
    public var maximumConnectionsPerHost: Int
    /// Verify TLS certificates and host names. Only tests against self-signed loopback servers turn it off.
    public var verifyTLS: Bool
    /// A PEM file of the certificate authorities to trust instead of the system's (a private server's own CA).
    public var certificateAuthorities: String?

    public init(
        userAgent: String = "Microsoft-Symbol-Server/10.0.0.0",
        connectTimeout: Duration = .seconds(10),
        stallTimeout: Duration = .seconds(30),
        minimumSpeed: Int = 1024,
        maximumRedirects: Int = 8,
        proxy: String? = nil,
        extraHeaders: [ExtraHeader] = [],
        retries: Int = 3,
        retryBaseDelay: Duration = .milliseconds(100),
        maximumRetryDelay: Duration = .seconds(5),
        maximumConnectionsPerHost: Int = 8,
        verifyTLS: Bool = true,
        certificateAuthorities: String? = nil
    ) {
        self.userAgent = userAgent
        self.connectTimeout = connectTimeout
        self.stallTimeout = stallTimeout
        self.minimumSpeed = max(1, minimumSpeed)
        self.maximumRedirects = maximumRedirects
        self.proxy = proxy
        self.extraHeaders = extraHeaders
        self.retries = retries
        self.retryBaseDelay = retryBaseDelay
        self.maximumRetryDelay = maximumRetryDelay
        self.maximumConnectionsPerHost = maximumConnectionsPerHost
        self.verifyTLS = verifyTLS
        self.certificateAuthorities = certificateAuthorities
    }

    /// The configured headers meant for `host`.
    package func extraHeaders(for host: String) -> [ExtraHeader] {
        extraHeaders.filter { Self.header($0, appliesTo: host) }
    }

    /// Whether `header` is meant for `host`: its host suffix is the host or a parent domain of it.
    public static func header(_ header: ExtraHeader, appliesTo host: String) -> Bool {
        var suffix = header.hostSuffix.lowercased()
        while suffix.hasPrefix(".") { suffix.removeFirst() }
        let host = host.lowercased()
        return !suffix.isEmpty && (host == suffix || host.hasSuffix("." + suffix))
    }
}
