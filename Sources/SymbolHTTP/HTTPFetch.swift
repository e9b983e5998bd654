import Logging
import SystemSupport

/// One request of `HTTPClient.fetchAll` on its way to an answer: the URL of the next hop, whether credentials
/// still go with it, the redirects and retries so far. After each transfer it decides what comes next: another
/// transfer (a redirect's target), the same one again after a delay (a retry), or the answer, by the rules
/// `HTTPClient.fetch` promises.
package struct HTTPFetch {
    package enum Step {
        /// Submit `makeTransfer` now.
        case transfer
        /// Submit `makeTransfer` once `delay` has passed.
        case retry(after: Duration)
        case answer(Result<HTTPResponseHead, HTTPError>)
    }

    package let request: HTTPRequest
    private let sink: any HTTPBodySink
    private let configuration: HTTPConfiguration
    private let logger: Logger
    private let start = MonotonicTime.now()
    /// The URL of the next transfer.
    private(set) var url: String
    private var keepCredentials = true
    private var redirects = 0
    private var attempt = 0

    package init(request: HTTPRequest, sink: any HTTPBodySink, configuration: HTTPConfiguration, logger: Logger) {
        self.request = request
        self.sink = sink
        self.configuration = configuration
        self.logger = logger
        url = request.url
    }

    /// A transfer at once, or the answer for a URL that is not HTTP(S).
    package var firstStep: Step {
        guard let original = HTTPURL(request.url), original.isHTTP else {
            return .answer(.failure(HTTPError(kind: .invalidURL, url: request.url, message: "not an http(s) URL")))
        }
        if let timeLeft, timeLeft <= .zero { return pastDeadline(bytes: 0) }
        return .transfer
    }

    /// The transfer of the next hop, reporting its end to `completions`; nil when libcurl cannot make a handle.
    package func makeTransfer(reportingTo completions: TransferCompletions) -> CurlTransfer? {
        CurlTransfer(
            url: url, range: request.byteRange, headers: headers(), configuration: configuration,
            timeout: timeLeft.map { max($0, .milliseconds(1)) }, sink: sink, completions: completions)
    }

    /// What is left of the request's deadline; nil when it has none.
    private var timeLeft: Duration? {
        request.deadline.map { $0 - MonotonicTime.now() }
    }

    private func pastDeadline(bytes: UInt64) -> Step {
        let error = HTTPError(
            kind: .timedOut, url: request.url,
            message: "no answer within the request's deadline (\(redirects) redirects, \(attempt) retries)")
        return answer(.failure(error), outcome: error.description, bytes: bytes)
    }

    /// What follows `transfer`, which has finished.
    package mutating func step(after transfer: CurlTransfer) -> Step {
        switch transfer.outcome {
        case .response(let head):
            return answer(.success(head), outcome: "\(head.status)", bytes: transfer.bodyBytes)
        case .redirect(let target, let status):
            redirects += 1
            guard redirects <= configuration.maximumRedirects else {
                let error = HTTPError(
                    kind: .tooManyRedirects, url: request.url,
                    message: "more than \(configuration.maximumRedirects) redirects")
                return answer(.failure(error), outcome: error.description, bytes: 0)
            }
            switch RedirectPolicy.judge(from: url, to: target, original: request.url) {
            case .refuse(let reason):
                let error = HTTPError(
                    kind: .forbiddenRedirect(reason: reason), url: url,
                    message: "\(status) to \(HTTPURL.withoutQuery(target))")
                return answer(.failure(error), outcome: error.description, bytes: 0)
            case .follow(let sameHost):
                keepCredentials = keepCredentials && sameHost
                url = target
                if let timeLeft, timeLeft <= .zero { return pastDeadline(bytes: 0) }
                return .transfer
            }
        case .failure(let error, let sinkTouched):
            guard !sinkTouched, error.isRetryable, attempt < configuration.retries else {
                return answer(.failure(error), outcome: error.description, bytes: transfer.bodyBytes)
            }
            attempt += 1
            var delay = backoff(attempt: attempt)
            if case .status = error.kind, let seconds = transfer.retryAfter, seconds > 0 {
                // A 429/503 saying when to come back is believed, up to the longest backoff.
                delay = max(delay, min(.seconds(seconds), configuration.maximumRetryDelay))
            }
            if let timeLeft, timeLeft <= delay { return pastDeadline(bytes: transfer.bodyBytes) }
            logger.debug("GET \(HTTPURL.withoutQuery(url)): \(error); retry \(attempt) in \(delay.milliseconds) ms")
            return .retry(after: delay)
        }
    }

    /// The headers of the next hop: the configured ones for its host and the request's own, without credentials
    /// once the chain has left the original host (spec §3.3: Azure DevOps redirects to blob storage that way).
    private func headers() -> [(name: String, value: String)] {
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
    private func backoff(attempt: Int) -> Duration {
        let base = configuration.retryBaseDelay.milliseconds
        let exponential = base << Int64(min(max(attempt - 1, 0), 20))
        let jitter = exponential > 0 ? Int64.random(in: 0...exponential) : 0
        return .milliseconds(min(exponential + jitter, configuration.maximumRetryDelay.milliseconds))
    }

    /// Logs the fetch at debug level (URL without its query, outcome, bytes, milliseconds; never header values).
    private func answer(_ result: Result<HTTPResponseHead, HTTPError>, outcome: String, bytes: UInt64) -> Step {
        let elapsed = (MonotonicTime.now() - start).milliseconds
        var line = "GET \(HTTPURL.withoutQuery(request.url)) → \(outcome), \(bytes) bytes, \(elapsed) ms"
        if redirects > 0 { line += ", \(redirects) redirects" }
        if attempt > 0 { line += ", \(attempt) retries" }
        logger.debug("\(line)")
        return .answer(result)
    }
}
