import CCurl
import SystemSupport

/// One GET on one easy handle: one attempt at one URL of a fetch (redirects and retries are new transfers).
/// Made and configured on the calling thread, then owned by the transfer thread from `TransferEngine.submit`
/// until it adds itself to its `TransferCompletions`; the caller reads `outcome` only after taking it from there,
/// so that lock orders every access and the class needs no lock of its own.
package final class CurlTransfer: @unchecked Sendable {
    package enum Outcome {
        /// The response reached the sink (possibly stopped early by it).
        case response(HTTPResponseHead)
        /// A 3xx with a Location (already resolved against the URL by libcurl).
        case redirect(to: String, status: Int)
        /// A failure; `sinkTouched` when the sink got the head, so the fetch cannot be retried.
        case failure(HTTPError, sinkTouched: Bool)
    }

    /// What happens to the body, decided when its first byte (or the end of the transfer) arrives.
    private enum Mode {
        case undecided
        case deliver
        /// A redirect's or a retried answer's body: read (to keep the connection) up to `discardLimit`.
        case discard
    }

    package let easy: UnsafeMutableRawPointer
    package let url: String
    private let sink: any HTTPBodySink
    private let completions: TransferCompletions
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    private var headers = ResponseHeaders()
    private var mode = Mode.undecided
    private var sinkStopped = false
    private var discardLimitReached = false
    private(set) var bodyBytes: UInt64 = 0
    private(set) var newConnections = 0
    private(set) var outcome: Outcome = .failure(
        HTTPError(kind: .clientClosed, url: "", message: "never run"), sinkTouched: false)

    package static let discardLimit: UInt64 = 64 * 1024

    /// `Retry-After` (seconds) of the last response, read once finished.
    package var retryAfter: Int? { headers.retryAfter }

    /// nil when libcurl cannot make a handle.
    package init?(
        url: String, range: String?, headers: [(name: String, value: String)], configuration: HTTPConfiguration,
        timeout: Duration? = nil, sink: any HTTPBodySink, completions: TransferCompletions
    ) {
        guard let easy = curl_easy_init() else { return nil }
        self.easy = easy
        self.url = url
        self.sink = sink
        self.completions = completions
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        for header in headers {
            headerList = curl_slist_append(headerList, "\(header.name): \(header.value)")
        }
        configure(range: range, configuration: configuration, timeout: timeout)
    }

    deinit {
        curl_easy_cleanup(easy)
        if let headerList { curl_slist_free_all(headerList) }
        errorBuffer.deallocate()
    }

    private func configure(range: String?, configuration: HTTPConfiguration, timeout: Duration?) {
        let me = Unmanaged.passUnretained(self).toOpaque()
        ccurl_easy_setopt_string(easy, CURLOPT_URL, url)
        ccurl_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        ccurl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        ccurl_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0)
        ccurl_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        ccurl_easy_setopt_string(easy, CURLOPT_USERAGENT, configuration.userAgent)
        let connectTimeout = min(configuration.connectTimeout, timeout ?? configuration.connectTimeout)
        ccurl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(max(1, connectTimeout.milliseconds)))
        // A total-time cap only when the request has a deadline (spec §7 #6); otherwise a floor on the speed.
        if let timeout { ccurl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, Int(max(1, timeout.milliseconds))) }
        ccurl_easy_setopt_long(easy, CURLOPT_LOW_SPEED_LIMIT, configuration.minimumSpeed)
        ccurl_easy_setopt_long(easy, CURLOPT_LOW_SPEED_TIME, Int(max(1, configuration.stallTimeout.milliseconds / 1000)))
        ccurl_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
        ccurl_easy_setopt_long(easy, CURLOPT_BUFFERSIZE, 256 * 1024)
        ccurl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, configuration.verifyTLS ? 1 : 0)
        ccurl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, configuration.verifyTLS ? 2 : 0)
        if let authorities = configuration.certificateAuthorities {
            ccurl_easy_setopt_string(easy, CURLOPT_CAINFO, authorities)
        }
        ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))
        if let proxy = configuration.proxy { ccurl_easy_setopt_string(easy, CURLOPT_PROXY, proxy) }
        if let range { ccurl_easy_setopt_string(easy, CURLOPT_RANGE, range) }
        if let headerList { ccurl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList) }
        ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, me)
        ccurl_easy_setopt_data_callback(easy, CURLOPT_HEADERFUNCTION) { data, size, count, user in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(user!).takeUnretainedValue()
            let length = size * count
            transfer.header(UnsafeRawBufferPointer(start: data, count: length))
            return length
        }
        ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, me)
        ccurl_easy_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION) { data, size, count, user in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(user!).takeUnretainedValue()
            let length = size * count
            return transfer.receive(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
        }
    }

    // MARK: On the transfer thread

    private func header(_ bytes: UnsafeRawBufferPointer) {
        headers.add(line: String(decoding: bytes, as: UTF8.self))
    }

    private var isRedirect: Bool {
        [301, 302, 303, 307, 308].contains(headers.status) && headers.hasLocation
    }

    private var currentHead: HTTPResponseHead { headers.head(finalURL: url) }

    /// Chooses what the body is for, and hands the head to the sink when it is the final answer.
    private func decide() {
        guard case .undecided = mode else { return }
        if isRedirect || HTTPError.isRetryableStatus(headers.status) {
            mode = .discard
            return
        }
        mode = .deliver
        if !sink.head(currentHead) { sinkStopped = true }
    }

    /// The write callback: false stops the transfer.
    private func receive(_ bytes: UnsafeRawBufferPointer) -> Bool {
        decide()
        switch mode {
        case .deliver:
            guard !sinkStopped else { return false }
            bodyBytes += UInt64(bytes.count)
            if !sink.body(bytes) {
                sinkStopped = true
                return false
            }
            return true
        case .discard:
            bodyBytes += UInt64(bytes.count)
            if bodyBytes > Self.discardLimit {
                discardLimitReached = true
                return false
            }
            return true
        case .undecided:
            return false
        }
    }

    /// Called by the engine once libcurl is done with the handle (it is already out of the multi).
    package func complete(_ code: CURLcode) {
        var connects = 0
        ccurl_easy_getinfo_long(easy, CURLINFO_NUM_CONNECTS, &connects)
        newConnections = connects
        outcome = makeOutcome(code)
        completions.add(self)
    }

    /// Ends a transfer that never ran to completion (the client closed).
    package func abandon() {
        outcome = .failure(HTTPError(kind: .clientClosed, url: url, message: ""), sinkTouched: false)
        completions.add(self)
    }

    private func makeOutcome(_ code: CURLcode) -> Outcome {
        if sinkStopped { return .response(currentHead) }
        let abortedByUs = code == CURLE_WRITE_ERROR && discardLimitReached
        if code == CURLE_OK || abortedByUs {
            decide()
            if sinkStopped { return .response(currentHead) }
            if isRedirect {
                var target: UnsafeMutablePointer<CChar>?
                ccurl_easy_getinfo_string(easy, CURLINFO_REDIRECT_URL, &target)
                guard let target else {
                    return .failure(
                        HTTPError(kind: .forbiddenRedirect(reason: "unusable Location"), url: url, message: ""),
                        sinkTouched: false)
                }
                return .redirect(to: String(cString: target), status: headers.status)
            }
            if HTTPError.isRetryableStatus(headers.status) {
                return .failure(HTTPError(kind: .status(headers.status), url: url, message: ""), sinkTouched: false)
            }
            return .response(currentHead)
        }
        let touched: Bool
        if case .deliver = mode { touched = true } else { touched = false }
        return .failure(HTTPError(kind: Self.kind(of: code), url: url, message: errorText(code)), sinkTouched: touched)
    }

    private func errorText(_ code: CURLcode) -> String {
        errorBuffer.pointee != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
    }

    package static func kind(of code: CURLcode) -> HTTPError.Kind {
        switch code {
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT: return .invalidURL
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return .resolveFailed
        case CURLE_COULDNT_CONNECT, CURLE_PROXY: return .connectFailed
        case CURLE_OPERATION_TIMEDOUT: return .timedOut
        case CURLE_PARTIAL_FILE: return .truncated
        case CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return .connectionReset
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_SSL_SHUTDOWN_FAILED:
            return .tls
        case CURLE_WEIRD_SERVER_REPLY, CURLE_BAD_CONTENT_ENCODING, CURLE_RANGE_ERROR, CURLE_HTTP_RETURNED_ERROR:
            return .protocolError
        default: return .other(code: Int32(code.rawValue))
        }
    }
}
