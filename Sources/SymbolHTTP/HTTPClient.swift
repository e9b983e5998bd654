import Logging
import SystemSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An HTTP client for symbol servers on libcurl (spec §3.2, §3.3): GET only, a transfer thread owning a multi
/// handle per `HTTPLane`, so connections (and HTTP/2 streams) are reused across requests and calling threads.
///
/// `fetch` and `fetchAll` are synchronous: they block the calling thread until the transfers end, and need no
/// thread of their own however many requests they make at once. Call them from libfuse worker threads or tests,
/// never from the Swift concurrency pool. Redirects are followed by hand (`RedirectPolicy`), transient failures
/// retried with exponential backoff and jitter (`HTTPFetch`), and every fetch is logged at debug level (URL
/// without its query, status, bytes, milliseconds; never header values).
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
    private let slot = Locked(EngineSlot())
    private let logger: Logger
    private let counters = Locked(Statistics())

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
        try fetchAll([(request, sink)])[0].get()
    }

    /// Fetches every request at once, each as `fetch` would, on the calling thread alone: it waits for whichever
    /// transfer ends first, follows it up (a redirect, a retry once its delay is due) and waits again. The
    /// answers come in request order.
    public func fetchAll(
        _ requests: [(request: HTTPRequest, sink: any HTTPBodySink)]
    ) -> [Result<HTTPResponseHead, HTTPError>] {
        let completions = TransferCompletions()
        var fetches = requests.map {
            HTTPFetch(request: $0.request, sink: $0.sink, configuration: configuration, logger: logger)
        }
        var answers = [Result<HTTPResponseHead, HTTPError>?](repeating: nil, count: fetches.count)
        var running: [ObjectIdentifier: Int] = [:]
        var delayed: [(due: Duration, index: Int)] = []
        func take(_ step: HTTPFetch.Step, of index: Int) {
            switch step {
            case .transfer:
                switch submit(fetches[index], reportingTo: completions) {
                case .success(let transfer): running[ObjectIdentifier(transfer)] = index
                case .failure(let error): answers[index] = .failure(error)
                }
            case .retry(let delay):
                counters.withLock { $0.retries += 1 }
                delayed.append((MonotonicTime.now() + delay, index))
            case .answer(let answer):
                answers[index] = answer
            }
        }
        for index in fetches.indices { take(fetches[index].firstStep, of: index) }
        while !running.isEmpty || !delayed.isEmpty {
            let now = MonotonicTime.now()
            let due = delayed.filter { $0.due <= now }
            delayed.removeAll { $0.due <= now }
            for entry in due { take(.transfer, of: entry.index) }
            guard !running.isEmpty || !delayed.isEmpty else { break }
            for transfer in completions.take(waitingUntil: delayed.map(\.due).min()) {
                guard let index = running.removeValue(forKey: ObjectIdentifier(transfer)) else { continue }
                counters.withLock {
                    $0.transfers += 1
                    $0.newConnections += transfer.newConnections
                    if case .redirect = transfer.outcome { $0.redirects += 1 }
                }
                take(fetches[index].step(after: transfer), of: index)
            }
        }
        return answers.map { $0! }
    }

    /// Hands the next transfer of `fetch` to its lane's engine.
    private func submit(
        _ fetch: HTTPFetch, reportingTo completions: TransferCompletions
    ) -> Result<CurlTransfer, HTTPError> {
        guard let transfer = fetch.makeTransfer(reportingTo: completions) else {
            return .failure(HTTPError(kind: .other(code: -1), url: fetch.url, message: "libcurl cannot make a handle"))
        }
        guard let engine = engine(fetch.request.lane) else {
            return .failure(
                HTTPError(kind: .other(code: -1), url: fetch.url, message: "cannot start the transfer thread"))
        }
        guard engine.submit(transfer) else {
            return .failure(HTTPError(kind: .clientClosed, url: fetch.url, message: ""))
        }
        return .success(transfer)
    }
}
