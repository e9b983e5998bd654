import SystemSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a fetch failed. A sink that stops a transfer early is not a failure (`fetch` returns normally), and
/// neither is a 4xx answer other than 408 and 429 (the sink gets it like any other response).
public struct HTTPError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The URL is not an absolute http(s) URL libcurl accepts.
        case invalidURL
        /// The host (or the proxy) has no address.
        case resolveFailed
        /// No connection could be made (refused, unreachable, proxy refused).
        case connectFailed
        /// Connecting took longer than `connectTimeout`, or the transfer stalled (under 1 byte/s for
        /// `stallTimeout`).
        case timedOut
        /// The connection broke: reset, closed before an answer, HTTP/2 stream error.
        case connectionReset
        /// TLS handshake or certificate verification failed.
        case tls
        /// More redirects than `maximumRedirects` (a loop, usually).
        case tooManyRedirects
        /// A redirect the client refuses to follow: to another scheme than http(s), or from HTTPS to HTTP.
        case forbiddenRedirect(reason: String)
        /// The body ended before `Content-Length` bytes (libcurl's CURLE_PARTIAL_FILE).
        case truncated
        /// A 5xx, 408 or 429 answer, still so after the retries.
        case status(Int)
        /// The response was not HTTP a client can use (libcurl's CURLE_WEIRD_SERVER_REPLY and the like).
        case protocolError
        /// The client was shut down with the fetch still running.
        case clientClosed
        /// Any other libcurl failure, with its CURLcode.
        case other(code: Int32)
    }

    public var kind: Kind
    /// The URL concerned, without its query string.
    public var url: String
    /// libcurl's explanation, or ours.
    public var message: String

    public init(kind: Kind, url: String, message: String) {
        self.kind = kind
        self.url = HTTPURL.withoutQuery(url)
        self.message = message
    }

    /// Whether the failure says the server (or the way to it) is unwell: these count toward a store's blackout
    /// (spec §3.5). Refused redirects, bad URLs and a closed client do not.
    public var isServerFailure: Bool {
        switch kind {
        case .timedOut, .connectionReset, .connectFailed, .resolveFailed, .tls, .truncated, .status, .protocolError,
             .other, .tooManyRedirects:
            return true
        case .invalidURL, .forbiddenRedirect, .clientClosed:
            return false
        }
    }

    /// Whether another attempt may succeed, provided no body byte has reached the sink yet.
    package var isRetryable: Bool {
        switch kind {
        case .timedOut, .connectionReset, .connectFailed: return true
        case .status(let code): return HTTPError.isRetryableStatus(code)
        default: return false
        }
    }

    package static func isRetryableStatus(_ status: Int) -> Bool {
        status == 408 || status == 429 || (500..<600).contains(status)
    }

    public var description: String {
        let what: String
        switch kind {
        case .invalidURL: what = "invalid URL"
        case .resolveFailed: what = "cannot resolve host"
        case .connectFailed: what = "cannot connect"
        case .timedOut: what = "timed out"
        case .connectionReset: what = "connection reset"
        case .tls: what = "TLS failure"
        case .tooManyRedirects: what = "too many redirects"
        case .forbiddenRedirect(let reason): what = "redirect refused (\(reason))"
        case .truncated: what = "body truncated"
        case .status(let code): what = "HTTP \(code)"
        case .protocolError: what = "bad HTTP response"
        case .clientClosed: what = "HTTP client closed"
        case .other(let code): what = "transfer failed (curl \(code))"
        }
        return message.isEmpty ? "\(url): \(what)" : "\(url): \(what): \(message)"
    }
}
