import SystemSupport
/// One GET to a symbol server.
public struct HTTPRequest: Sendable, Hashable {
    /// An absolute `http://` or `https://` URL, path already percent-encoded where needed.
    public var url: String
    /// Bytes wanted (`Range: bytes=lower-(upper-1)`); nil for the whole body. An empty range is not sent.
    public var range: Range<UInt64>?
    /// Headers for this request only, after the configured ones. Credential headers among them
    /// (`Authorization`, `Cookie`, `Proxy-Authorization`) are dropped once a redirect leaves the original host.
    public var extraHeaders: [(name: String, value: String)]
    public var lane: HTTPLane
    /// When, on the monotonic clock (`MonotonicTime.now()`), the request must have its answer, every retry and
    /// redirect included; past it the fetch fails as timed out. nil: no deadline, only the speed floor.
    public var deadline: Duration?

    public init(
        url: String, range: Range<UInt64>? = nil, extraHeaders: [(name: String, value: String)] = [],
        lane: HTTPLane = .interactive, deadline: Duration? = nil
    ) {
        self.url = url
        self.range = range
        self.extraHeaders = extraHeaders
        self.lane = lane
        self.deadline = deadline
    }

    public static func == (a: HTTPRequest, b: HTTPRequest) -> Bool {
        a.url == b.url && a.range == b.range && a.lane == b.lane && a.deadline == b.deadline
            && a.extraHeaders.elementsEqual(b.extraHeaders) { $0 == $1 }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(url)
        hasher.combine(range)
        hasher.combine(lane)
        hasher.combine(deadline)
        for header in extraHeaders {
            hasher.combine(header.name)
            hasher.combine(header.value)
        }
    }

    /// `range` as libcurl's CURLOPT_RANGE takes it (`0-4095`, sent as `Range: bytes=0-4095`); nil when there is
    /// none to send.
    package var byteRange: String? {
        guard let range, !range.isEmpty else { return nil }
        return "\(range.lowerBound)-\(range.upperBound - 1)"
    }
}

/// The status line and the headers of the final response (after redirects) that a fetch cares about.
public struct HTTPResponseHead: Sendable, Hashable {
    public struct ContentRange: Sendable, Hashable {
        /// First and last byte of the part sent (inclusive, as in the header).
        public var start: UInt64
        public var end: UInt64
        /// The whole file's size; nil for `*`.
        public var total: UInt64?

        public init(start: UInt64, end: UInt64, total: UInt64?) {
            self.start = start
            self.end = end
            self.total = total
        }
    }

    public var status: Int
    /// `Content-Length`: the bytes of this body (of the part, for a 206).
    public var contentLength: UInt64?
    /// `Content-Range` of a 206 (or of a 416: `bytes */total`).
    public var contentRange: ContentRange?
    public var contentType: String?
    /// The server serves ranges: it answered 206, or said `Accept-Ranges: bytes`.
    public var acceptsRanges: Bool
    /// `Last-Modified`, in seconds since the epoch.
    public var lastModified: Int64?
    /// `Retry-After` in seconds, when given as a number.
    public var retryAfter: Int?
    /// The URL that answered, after redirects, without its query string (it may hold a signature): for logs only,
    /// never to be remembered or fetched again (spec §3.2 "never cache the Location").
    public var finalURL: String

    public init(
        status: Int, contentLength: UInt64? = nil, contentRange: ContentRange? = nil, contentType: String? = nil,
        acceptsRanges: Bool = false, lastModified: Int64? = nil, retryAfter: Int? = nil, finalURL: String
    ) {
        self.status = status
        self.contentLength = contentLength
        self.contentRange = contentRange
        self.contentType = contentType
        self.acceptsRanges = acceptsRanges
        self.lastModified = lastModified
        self.retryAfter = retryAfter
        self.finalURL = finalURL
    }

    /// 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The whole file's size as far as this answer tells: the total of a Content-Range, else the Content-Length
    /// of a 200.
    public var totalSize: UInt64? {
        if let total = contentRange?.total { return total }
        return status == 200 ? contentLength : nil
    }
}

/// Where a fetch delivers the final response. Both methods are called on the client's transfer thread, never at
/// the same time for one fetch; keep them short (copy the bytes, write them to a file). Returning false stops the
/// transfer early; that is not an error: `fetch` then returns normally. The bytes passed to `body` are valid only
/// during the call. A sink must never call `fetch` itself (the transfer thread would wait for itself), and a slow
/// sink delays every other transfer of the client.
public protocol HTTPBodySink: AnyObject, Sendable {
    /// Called once with the final response's head, before any body byte (and also when the body is empty).
    /// Responses that are redirected or retried never reach the sink.
    func head(_ head: HTTPResponseHead) -> Bool
    /// Called with consecutive pieces of the body.
    func body(_ bytes: UnsafeRawBufferPointer) -> Bool
}
