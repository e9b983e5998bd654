import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An HTTP client for symbol servers on libcurl (spec §3.2, §3.3): GET only, a transfer thread owning a multi
/// handle per `HTTPLane`, so connections (and HTTP/2 streams) are reused across requests and calling threads.
///
/// `fetch` is synchronous: it blocks the calling thread until the transfer ends. Call it from libfuse worker
/// threads or tests, never from the Swift concurrency pool. Redirects are followed by hand (`RedirectPolicy`),
/// transient failures retried with exponential backoff and jitter, and every transfer is logged at debug level
/// (URL without its query, status, bytes, milliseconds; never header values).
///
/// The transfer thread starts with the first fetch, not with the client, so a client made before the process
/// forks (symfs detaches with `fuse_daemonize` after building its resolver) works in the child; a client used
/// in a child after having fetched in the parent starts a fresh thread and connection pool there.
public final class HTTPClient: Sendable {
    /// Counters for tests and diagnostics.
    public struct Statistics: Sendable, Hashable {
        /// Transfers made (each redirect hop and each retry is one).
        public var transfers = 0
        /// TCP connections libcurl had to open for them (CURLINFO_NUM_CONNECTS summed).
        public var newConnections = 0
        public var retries = 0
        public var redirects = 0
    }

    private struct EngineSlot: @unchecked Sendable {
        var engines: [HTTPLane: TransferEngine] = [:]
        /// The process that started `engines`.
        var owner: pid_t = 0
    }

    public let configuration: HTTPConfiguration
    private let slot = Mutex(EngineSlot())
    private let logger: Logger
    private let counters = Mutex(Statistics())

    /// Nothing starts here: the transfer thread starts with the first fetch.
    public init(configuration: HTTPConfiguration = HTTPConfiguration(), logger: Logger = Logger(label: "symfs.http")) {
        self.configuration = configuration
        self.logger = logger
    }

    deinit {
        let (engines, owner) = slot.withLock { ($0.engines, $0.owner) }
        if owner == getpid() { engines.values.forEach { $0.close() } }
    }

    /// The transfer engine of `lane` in this process, started on first use; nil when libcurl or the thread
    /// cannot start.
    private func engine(_ lane: HTTPLane) -> TransferEngine? {
        let pid = getpid()
        return slot.withLock { slot in
            if slot.owner != pid {
                // First use in a forked child: the parent's threads do not exist here, and its multi handles are
                // left alone (their sockets are the parent's).
                slot.engines = [:]
                slot.owner = pid
            }
            if let engine = slot.engines[lane] { return engine }
            let engine = TransferEngine(maximumConnectionsPerHost: configuration.maximumConnectionsPerHost)
            slot.engines[lane] = engine
            return engine
        }
    }

    public var statistics: Statistics { counters.withLock { $0 } }

    /// GETs `request.url`, streaming the final response's body into `sink` as it arrives, and returns its head.
    /// 3xx answers are followed (never to a non-HTTP scheme, never from HTTPS to HTTP, without credentials once
    /// the chain leaves the original host); 5xx, 408, 429, connection failures, resets and timeouts are retried
    /// `configuration.retries` times as long as the sink has not seen the response. Other statuses (404, 403, …)
    /// are answers, not errors: the sink gets them.
    public func fetch(_ request: HTTPRequest, sink: any HTTPBodySink) throws(HTTPError) -> HTTPResponseHead {
        let start = MonotonicTime.now()
        guard let original = HTTPURL(request.url), original.isHTTP else {
            throw HTTPError(kind: .invalidURL, url: request.url, message: "not an http(s) URL")
        }
        var url = request.url
        var keepCredentials = true
        var redirects = 0
        var attempt = 0
        while true {
            let headers = headers(for: url, request: request, keepCredentials: keepCredentials)
            guard let transfer = CurlTransfer(
                url: url, range: request.byteRange, headers: headers,
                configuration: configuration, sink: sink)
            else {
                throw HTTPError(kind: .other(code: -1), url: url, message: "libcurl cannot make a handle")
            }
            guard let engine = engine(request.lane) else {
                throw HTTPError(kind: .other(code: -1), url: url, message: "cannot start the transfer thread")
            }
            guard engine.submit(transfer) else {
                throw HTTPError(kind: .clientClosed, url: url, message: "")
            }
            transfer.finished.wait()
            counters.withLock {
                $0.transfers += 1
                $0.newConnections += transfer.newConnections
            }
            switch transfer.outcome {
            case .response(let head):
                log(url: request.url, outcome: "\(head.status)", bytes: transfer.bodyBytes, start: start,
                    redirects: redirects, attempts: attempt)
                return head
            case .redirect(let target, let status):
                redirects += 1
                counters.withLock { $0.redirects += 1 }
                guard redirects <= configuration.maximumRedirects else {
                    let error = HTTPError(
                        kind: .tooManyRedirects, url: request.url,
                        message: "more than \(configuration.maximumRedirects) redirects")
                    log(url: request.url, outcome: error.description, bytes: 0, start: start, redirects: redirects,
                        attempts: attempt)
                    throw error
                }
                switch RedirectPolicy.judge(from: url, to: target, original: request.url) {
                case .refuse(let reason):
                    let error = HTTPError(
                        kind: .forbiddenRedirect(reason: reason), url: url,
                        message: "\(status) to \(HTTPURL.withoutQuery(target))")
                    log(url: request.url, outcome: error.description, bytes: 0, start: start, redirects: redirects,
                        attempts: attempt)
                    throw error
                case .follow(let sameHost):
                    keepCredentials = keepCredentials && sameHost
                    url = target
                }
            case .failure(let error, let sinkTouched):
                guard !sinkTouched, error.isRetryable, attempt < configuration.retries else {
                    log(url: request.url, outcome: error.description, bytes: transfer.bodyBytes, start: start,
                        redirects: redirects, attempts: attempt)
                    throw error
                }
                attempt += 1
                counters.withLock { $0.retries += 1 }
                var delay = backoff(attempt: attempt)
                if case .status = error.kind, let seconds = transfer.retryAfter, seconds > 0 {
                    // A 429/503 saying when to come back is believed, up to the longest backoff.
                    delay = max(delay, min(.seconds(seconds), configuration.maximumRetryDelay))
                }
                logger.debug("GET \(HTTPURL.withoutQuery(url)): \(error); retry \(attempt) in \(delay.milliseconds) ms")
                MonotonicTime.sleep(delay)
            }
        }
    }

    /// The headers of one hop: the configured ones for its host and the request's own, without credentials once
    /// the chain has left the original host (spec §3.3: Azure DevOps redirects to blob storage that way).
    private func headers(
        for url: String, request: HTTPRequest, keepCredentials: Bool
    ) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        if keepCredentials, let host = HTTPURL(url)?.host {
            headers += configuration.extraHeaders(for: host).map { ($0.name, $0.value) }
        }
        headers += request.extraHeaders.filter {
            keepCredentials || !RedirectPolicy.credentialHeaders.contains($0.name.lowercased())
        }
        return headers
    }

    /// 2^(attempt-1) × base, plus up to as much again of jitter, capped.
    func backoff(attempt: Int) -> Duration {
        let base = configuration.retryBaseDelay.milliseconds
        let exponential = base << Int64(min(max(attempt - 1, 0), 20))
        let jitter = exponential > 0 ? Int64.random(in: 0...exponential) : 0
        return .milliseconds(min(exponential + jitter, configuration.maximumRetryDelay.milliseconds))
    }

    private func log(url: String, outcome: String, bytes: UInt64, start: Duration, redirects: Int, attempts: Int) {
        let elapsed = (MonotonicTime.now() - start).milliseconds
        var line = "GET \(HTTPURL.withoutQuery(url)) → \(outcome), \(bytes) bytes, \(elapsed) ms"
        if redirects > 0 { line += ", \(redirects) redirects" }
        if attempts > 0 { line += ", \(attempts) retries" }
        logger.debug("\(line)")
    }
}
