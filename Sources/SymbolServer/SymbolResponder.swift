import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SymbolStore
import SystemSupport

/// Answers symbol requests from the symbol path, as SymProxy does (docs/symbol-stores.md §4.1): a hit is the
/// file (decompressed, pointers followed, fetched into the path's caches on the way), with headers that let any
/// HTTP cache keep it for good; a miss is a 404 that caches may keep for the miss timeout. Every lookup, open and
/// read runs on the blocking pool.
package struct SymbolResponder: HTTPResponder {
    package typealias Context = SymbolRequestContext

    package struct Settings: Sendable {
        /// Seconds a client or cache may keep a 404.
        package var missTimeout = 300
        /// When set, every request but `/healthz` must present one of these.
        package var credentials: ClientCredentials?
        package var logger = Logger(label: "symfs.serve")

        package init() {}
    }

    static let immutable = "public, max-age=31536000, immutable"

    let resolver: SymbolPathResolver
    let blocking: BlockingWork
    let metrics: ServerMetrics
    let settings: Settings
    let clock = MonotonicTimeSource()
    /// Symbols the whole path lacked, local stores included (SymProxy's `MissTimeout`): asked again within the
    /// miss timeout, they are a 404 without a trip to the blocking pool.
    let misses: NegativeCache

    package init(resolver: SymbolPathResolver, blocking: BlockingWork, metrics: ServerMetrics, settings: Settings) {
        self.resolver = resolver
        self.blocking = blocking
        self.metrics = metrics
        self.settings = settings
        misses = NegativeCache(timeout: .seconds(settings.missTimeout), clock: clock)
    }

    package func respond(to request: Request, context: Context) async throws -> Response {
        let start = clock.now()
        metrics.started()
        let outcome = await answer(request, channel: context.channel)
        // Not the outcome itself: a streamed one holds the `ResponseEnd` that holds this.
        let (status, source, method, path) = (outcome.response.status.code, outcome.source, request.method, request.uri.path)
        let log: @Sendable (UInt64) -> Void = { [metrics, settings, clock] bytes in
            let elapsed = clock.now() - start
            let nanoseconds = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
            metrics.finished(status: status, source: source, bytes: bytes, nanoseconds: nanoseconds)
            settings.logger.info("\(method) \(path) \(status) \(bytes) \(nanoseconds / 1_000_000)ms \(source.rawValue)")
        }
        if let streamed = outcome.streamed {
            var response = outcome.response
            streamed.end.report(to: log)
            response.body = streamed.body
            return response
        }
        log(UInt64(outcome.response.body.contentLength ?? 0))
        return outcome.response
    }

    /// A response, where its file came from, and for a file the body still to be made (it reports its bytes).
    struct Outcome {
        var response: Response
        var source: ServerMetrics.Source = .none
        var streamed: StreamedFile?
    }

    /// A file already handed to the connection's `SendfileHandler` (`id`), which closes it however the
    /// response ends, the head failing to go out included; `end` is told by the body, or by that close.
    struct StreamedFile {
        var id: UInt64
        var file: OpenedSymbolFile
        var range: Range<UInt64>
        var blocking: BlockingWork
        var channel: any Channel
        var end: ResponseEnd

        var body: ResponseBody {
            SymbolFileBody(id: id, file: file, range: range, blocking: blocking, channel: channel, end: end).body
        }
    }

    /// `response` with `file`'s `range` as its body; nil when the connection has gone (the file is closed).
    private func streaming(
        _ response: Response, _ file: OpenedSymbolFile, _ range: Range<UInt64>, source: ServerMetrics.Source,
        channel: any Channel
    ) async -> Outcome {
        let end = ResponseEnd()
        guard let id = try? await SymbolFileBody.adopt(file.descriptor, by: channel, closed: { end.fileClosed() }) else {
            return Outcome(response: Self.text(.serviceUnavailable, "the connection closed\n"), source: source)
        }
        let streamed = StreamedFile(id: id, file: file, range: range, blocking: blocking, channel: channel, end: end)
        return Outcome(response: response, source: source, streamed: streamed)
    }

    private func answer(_ request: Request, channel: any Channel) async -> Outcome {
        guard request.method == .get || request.method == .head else {
            var response = Self.text(.methodNotAllowed, "only GET and HEAD\n")
            response.headers[.allow] = "GET, HEAD"
            return Outcome(response: response)
        }
        let route = ServerRoute(path: request.uri.path)
        if let credentials = settings.credentials, route != .health, !credentials.admits(request.headers[.authorization]) {
            var response = Self.text(.unauthorized, "authentication required\n")
            response.headers[.wwwAuthenticate] = "Basic realm=\"symbols\", charset=\"UTF-8\""
            return Outcome(response: response)
        }
        switch route {
        case .invalid(let reason):
            return Outcome(response: Self.text(.badRequest, reason + "\n"))
        case .notFound:
            return Outcome(response: miss())
        case .ping:
            return Outcome(response: Response(status: .ok, headers: [.contentLength: "0"]))
        case .health:
            return Outcome(response: Self.text(.ok, "ok\n"))
        case .metrics:
            let text = metrics.exposition(resolverStatistics: resolver.statisticsText)
            return Outcome(response: Self.text(.ok, text, contentType: "text/plain; version=0.0.4"))
        case .symbol(let symbol):
            return await file(symbol, compressedAsStored: false, request: request, channel: channel)
        case .compressed(let symbol):
            return await file(symbol, compressedAsStored: true, request: request, channel: channel)
        }
    }

    /// Bodies up to this size are read in the same trip to the blocking pool as the lookup and the open.
    static let inlineBodyLimit: UInt64 = 1 << 20

    /// What one trip to the blocking pool found: nothing, the file (for answers without a body), the file opened
    /// for streaming, or a small complete file read whole.
    enum Found: Sendable {
        case miss
        case located(ResolvedSymbol)
        case opened(ResolvedSymbol, OpenedSymbolFile)
        case read(ResolvedSymbol, ByteBuffer)
    }

    private func file(_ symbol: SymbolRequest, compressedAsStored: Bool, request: Request, channel: any Channel) async -> Outcome {
        let resolver = resolver
        let wantsBody = request.method == .get && !compressedAsStored
        let ifNoneMatch = request.headers[.ifNoneMatch]
        let rangeHeader = request.headers[.range]
        // As asked: on a case-sensitive server, a miss of `foo.dll` says nothing of `Foo.dll`.
        let missKey = "\(symbol.variant == .msfz0 ? "z" : "p")/\(symbol.name)/\(symbol.key)"
        if misses.contains(missKey) { return Outcome(response: miss(), source: .miss) }
        let found: Found
        do {
            found = try await blocking.run { () throws(SymbolStoreError) -> Found in
                guard let located = try resolver.locate(symbol) else { return .miss }
                let notModified = ifNoneMatch.map { Self.matches($0, Self.etag(symbol)) } ?? false
                let range = ByteRange(header: rangeHeader, size: located.size)
                guard wantsBody, !notModified, range != .unsatisfiable else { return .located(located) }
                let opened = try resolver.open(located)
                guard opened.size == located.size else {
                    close(opened.descriptor)
                    throw SymbolStoreError(.contentRejected, "\(symbol): the file changed while it was asked for")
                }
                let span = Self.span(range, size: located.size)
                if let availability = opened.availability, !span.isEmpty {
                    // A file still arriving: its key check (in the wait) must pass before a 200 goes out, so a
                    // lying server is a 502 rather than a cut body.
                    do throws(SymbolStoreError) {
                        try availability.waitForBytes(span.lowerBound..<min(span.upperBound, span.lowerBound + SymbolFileBody.regionSize))
                    } catch {
                        close(opened.descriptor)
                        throw error
                    }
                }
                guard opened.availability == nil, span.count <= Self.inlineBodyLimit else {
                    return .opened(located, opened)
                }
                defer { close(opened.descriptor) }
                return .read(located, try SymbolFileBody.read(opened, span))
            }
        } catch {
            return failure(error, symbol)
        }
        let located: ResolvedSymbol
        switch found {
        case .miss:
            misses.insert(missKey)
            return Outcome(response: miss(), source: .miss)
        case .located(let file), .opened(let file, _), .read(let file, _): located = file
        }
        let source: ServerMetrics.Source = if case .remote = located.form { .fetch } else { .local }
        if compressedAsStored {
            guard case .compressed(let path) = located.form else { return Outcome(response: miss(), source: .miss) }
            return await archive(path, symbol: symbol, request: request, channel: channel)
        }

        var headers = Self.fileHeaders(etag: Self.etag(symbol), modified: located.modificationTime)
        if let ifNoneMatch, Self.matches(ifNoneMatch, headers[.eTag]!) {
            return Outcome(response: Response(status: .notModified, headers: headers), source: source)
        }
        let range = ByteRange(header: rangeHeader, size: located.size)
        if case .unsatisfiable = range {
            headers[.contentRange] = "bytes */\(located.size)"
            return Outcome(response: Response(status: .rangeNotSatisfiable, headers: headers), source: source)
        }
        let span = Self.span(range, size: located.size)
        headers[.contentLength] = String(span.count)
        let status: HTTPResponse.Status = if case .partial = range { .partialContent } else { .ok }
        if status == .partialContent {
            headers[.contentRange] = "bytes \(span.lowerBound)-\(span.upperBound - 1)/\(located.size)"
        }
        switch found {
        case .read(_, let buffer):
            return Outcome(response: Response(status: status, headers: headers, body: ResponseBody(byteBuffer: buffer)), source: source)
        case .opened(_, let opened):
            return await streaming(Response(status: status, headers: headers), opened, span, source: source, channel: channel)
        case .miss, .located:
            return Outcome(response: Response(status: status, headers: headers), source: source)
        }
    }

    /// A `name_` request: the CAB or ZIP as the store holds it.
    private func archive(_ path: String, symbol: SymbolRequest, request: Request, channel: any Channel) async -> Outcome {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return Outcome(response: miss(), source: .miss) }
        var info = stat()
        fstat(descriptor, &info)
        let size = UInt64(info.st_size)
        var headers = Self.fileHeaders(etag: "\"\(symbol.name.lowercased())/\(symbol.key.uppercased())/_\"", modified: Int64(info.st_mtim.tv_sec))
        headers[.contentLength] = String(size)
        if request.method == .head {
            close(descriptor)
            return Outcome(response: Response(status: .ok, headers: headers), source: .local)
        }
        let file = OpenedSymbolFile(descriptor: descriptor, size: size, path: path)
        return await streaming(Response(status: .ok, headers: headers), file, 0..<size, source: .local, channel: channel)
    }

    static func span(_ range: ByteRange, size: UInt64) -> Range<UInt64> {
        if case .partial(let span) = range { return span }
        return 0..<size
    }

    static func etag(_ symbol: SymbolRequest) -> String {
        let variant = symbol.variant == .msfz0 ? "/msfz0" : ""
        return "\"\(symbol.name.lowercased())/\(symbol.key.uppercased())\(variant)\""
    }

    static func matches(_ ifNoneMatch: String, _ etag: String) -> Bool {
        ifNoneMatch.split(separator: ",").contains { candidate in
            let trimmed = candidate.trimmingBlanks
            return trimmed == "*" || trimmed == etag || trimmed == "W/" + etag
        }
    }

    static func fileHeaders(etag: String, modified: Int64) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "application/octet-stream"
        headers[.eTag] = etag
        headers[.lastModified] = HTTPDate.text(seconds: modified)
        headers[.acceptRanges] = "bytes"
        headers[.cacheControl] = immutable
        return headers
    }

    private func miss() -> Response {
        var response = Self.text(.notFound, "not found\n")
        response.headers[.cacheControl] = "max-age=\(settings.missTimeout)"
        return response
    }

    private func failure(_ error: SymbolStoreError, _ symbol: SymbolRequest) -> Outcome {
        let status = ServerStatus.of(error)
        if status == .notFound { return Outcome(response: miss(), source: .miss) }
        settings.logger.warning("\(symbol): \(error)")
        var response = Self.text(status, "\(error.detail)\n")
        response.headers[.cacheControl] = "no-store"
        return Outcome(response: response, source: .none)
    }

    static func text(_ status: HTTPResponse.Status, _ text: String, contentType: String = "text/plain; charset=utf-8") -> Response {
        let buffer = ByteBuffer(string: text)
        return Response(
            status: status,
            headers: [.contentType: contentType, .contentLength: String(buffer.readableBytes)],
            body: ResponseBody(byteBuffer: buffer))
    }
}
