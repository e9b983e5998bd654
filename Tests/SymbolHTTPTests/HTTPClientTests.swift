import Foundation
import Testing
import TestSupport
@testable import SymbolStore
@testable import SymbolHTTP
@testable import SystemSupport

/// The libcurl client against loopback servers: real nginx for the normal paths, FaultServer for faults.
/// Every server is on 127.0.0.1 and every wait is bounded (stall and connect timeouts of a few seconds).
@Suite(.serialized) struct HTTPClientTests {
    let files: HTTPTestFiles

    init() throws {
        files = try HTTPTestFiles()
    }

    /// Short backoff so retry tests stay fast.
    private func client(_ change: (inout HTTPConfiguration) -> Void = { _ in }) -> HTTPClient {
        var configuration = HTTPConfiguration(
            connectTimeout: .seconds(3), stallTimeout: .seconds(2), retryBaseDelay: .milliseconds(5))
        change(&configuration)
        return HTTPClient(configuration: configuration)
    }

    private func expectError(_ kind: HTTPError.Kind, _ body: () throws(HTTPError) -> HTTPResponseHead)
        -> HTTPError?
    {
        do {
            let head = try body()
            Issue.record("expected \(kind), got HTTP \(head.status)")
            return nil
        } catch {
            #expect(error.kind == kind, "\(error)")
            return error
        }
    }

    // MARK: nginx

    @Test func wholeFileArrivesWithItsHead() throws {
        let nginx = try NginxServer(root: files.root)
        let sink = CollectingSink()
        let head = try client().fetch(HTTPRequest(url: nginx.baseURL + "/big.bin"), sink: sink)
        #expect(head.status == 200)
        #expect(head.contentLength == UInt64(files.big.count))
        #expect(head.totalSize == UInt64(files.big.count))
        #expect(head.acceptsRanges)
        #expect(head.lastModified != nil)
        #expect(sink.heads == [head])
        #expect(sink.body == files.big)
    }

    /// A range GET answers 206 with the total in Content-Range (what a lookup probe relies on, fuse-notes §4.6).
    @Test func rangeRequestGets206WithTotal() throws {
        let nginx = try NginxServer(root: files.root)
        let sink = CollectingSink()
        let head = try client().fetch(HTTPRequest(url: nginx.baseURL + "/small.bin", range: 100..<4196), sink: sink)
        #expect(head.status == 206)
        #expect(head.contentRange == .init(start: 100, end: 4195, total: 5000))
        #expect(head.totalSize == 5000)
        #expect(sink.body == files.small[100..<4196])
        #expect(nginx.accessLog().last?.range == "bytes=100-4195")
    }

    /// One TCP connection for many sequential requests: counted by libcurl and by nginx's `$connection`.
    @Test func sequentialRequestsShareOneConnection() throws {
        let nginx = try NginxServer(root: files.root)
        let http = client()
        for index in 0..<20 {
            let sink = CollectingSink()
            let head = try http.fetch(HTTPRequest(url: nginx.baseURL + "/many/\(index).txt"), sink: sink)
            #expect(head.status == 200)
            #expect(sink.body == Data("file \(index)\n".utf8))
        }
        #expect(http.statistics.newConnections == 1)
        #expect(http.statistics.transfers == 20)
        let log = nginx.accessLog()
        #expect(log.count == 20)
        #expect(Set(log.map(\.connection)).count == 1)
    }

    /// Requests from many threads at once all complete, over at most `maximumConnectionsPerHost` connections.
    @Test func concurrentCallersShareTheTransferThread() throws {
        let nginx = try NginxServer(root: files.root)
        let http = client { $0.maximumConnectionsPerHost = 4 }
        let wrong = Counter()
        let finished = runOnThreads(8) { thread in
            for round in 0..<5 {
                let index = (thread * 5 + round) % 20
                let sink = CollectingSink()
                let head = try? http.fetch(HTTPRequest(url: nginx.baseURL + "/many/\(index).txt"), sink: sink)
                if head?.status != 200 || sink.body != Data("file \(index)\n".utf8) { wrong.add() }
            }
        }
        #expect(finished)
        #expect(wrong.value == 0)
        #expect(http.statistics.transfers == 40)
        #expect(http.statistics.newConnections <= 4)
        #expect(Set(nginx.accessLog().map(\.connection)).count <= 4)
    }

    /// fetchAll runs its requests at once, each as fetch would: a redirect followed, a 503 retried, a 404
    /// answered, a file read, a non-HTTP URL refused; answers in request order. Every answer takes 300 ms, so the
    /// four first transfers arrive on four connections (one after another they would share one).
    @Test func fetchAllRunsRequestsAtOnceEachAsFetchWould() throws {
        let server = try FaultServer(root: files.root)
        server.set(FaultServer.everyPath, .init(answerDelaySeconds: 0.3))
        server.set("/moved.bin", .init(redirect: "/small.bin", answerDelaySeconds: 0.3))
        server.set("/many/1.txt", .init(failStatus: 503, failTimes: 1, answerDelaySeconds: 0.3))
        let http = client()
        let paths = ["/moved.bin", "/many/1.txt", "/missing.pdb", "/many/2.txt"]
        let sinks = (0..<5).map { _ in CollectingSink() }
        let requests = paths.map { HTTPRequest(url: server.baseURL + $0) } + [HTTPRequest(url: "ftp://127.0.0.1/x")]
        let answers = http.fetchAll(zip(requests, sinks).map { ($0, $1) })
        #expect(answers.prefix(4).map { try? $0.get().status } == [200, 200, 404, 200])
        #expect(throws: HTTPError(kind: .invalidURL, url: "ftp://127.0.0.1/x", message: "not an http(s) URL")) {
            try answers[4].get()
        }
        #expect(sinks[0].body == files.small)
        #expect(sinks[1].heads.map(\.status) == [200] && sinks[1].body == Data("file 1\n".utf8))
        #expect(sinks[2].heads.map(\.status) == [404])
        #expect(sinks[3].body == Data("file 2\n".utf8))
        #expect(sinks[4].heads.isEmpty)
        #expect(http.statistics.transfers == 6)
        #expect(http.statistics.redirects == 1)
        #expect(http.statistics.retries == 1)
        let seen = server.requests()
        #expect(Set(seen.prefix(4).map(\.path)) == Set(paths), "\(seen)")
        #expect(Set(seen.prefix(4).map(\.connection)).count == 4, "\(seen)")
    }

    /// A sink that stops early ends the fetch normally (not an error), and the rest is not read.
    @Test func sinkMayStopEarly() throws {
        let nginx = try NginxServer(root: files.root)
        let sink = CollectingSink(limit: 1024)
        let head = try client().fetch(HTTPRequest(url: nginx.baseURL + "/big.bin"), sink: sink)
        #expect(head.status == 200)
        #expect(sink.body.count >= 1024)
        #expect(sink.body.count < files.big.count)
        #expect(sink.body == files.big.prefix(sink.body.count))
    }

    /// 404 is an answer for the caller to judge, not an error.
    @Test func notFoundIsAnAnswer() throws {
        let nginx = try NginxServer(root: files.root)
        let sink = CollectingSink()
        let head = try client().fetch(HTTPRequest(url: nginx.baseURL + "/missing.pdb"), sink: sink)
        #expect(head.status == 404)
        #expect(sink.heads.count == 1)
    }

    // MARK: Faults

    /// spec §3.2 User-Agent; configured headers go to matching hosts only.
    @Test func sendsAgentAndConfiguredHeaders() throws {
        let server = try FaultServer(root: files.root)
        let http = client {
            $0.extraHeaders = [
                (hostSuffix: "127.0.0.1", name: "Authorization", value: "Basic OnNlY3JldA=="),
                (hostSuffix: "example.com", name: "X-Other", value: "no"),
            ]
        }
        let head = try http.fetch(
            HTTPRequest(url: server.baseURL + "/small.bin", extraHeaders: [("X-TFS-FedAuthRedirect", "Suppress")]),
            sink: CollectingSink())
        #expect(head.status == 200)
        let seen = try #require(server.requests().first)
        #expect(seen.headers["user-agent"] == "Microsoft-Symbol-Server/10.0.0.0")
        #expect(seen.headers["authorization"] == "Basic OnNlY3JldA==")
        #expect(seen.headers["x-tfs-fedauthredirect"] == "Suppress")
        #expect(seen.headers["x-other"] == nil)
        #expect(seen.headers["accept-encoding"] == nil)
    }

    /// 503 twice, then the file: retried with backoff (spec §3.5, dotnet's retry set), the sink sees only the 200.
    @Test func retriesServerErrorsThenSucceeds() throws {
        let server = try FaultServer(root: files.root)
        server.set("/small.bin", .init(failStatus: 503, failTimes: 2))
        let http = client()
        let sink = CollectingSink()
        let head = try http.fetch(HTTPRequest(url: server.baseURL + "/small.bin"), sink: sink)
        #expect(head.status == 200)
        #expect(sink.body == files.small)
        #expect(sink.heads.map(\.status) == [200])
        #expect(server.requests().count == 3)
        #expect(http.statistics.retries == 2)
    }

    @Test(arguments: [408, 429, 500])
    func retryableStatusesAreRetried(status: Int) throws {
        let server = try FaultServer(root: files.root)
        server.set("/small.bin", .init(failStatus: status, failTimes: 1))
        let head = try client().fetch(HTTPRequest(url: server.baseURL + "/small.bin"), sink: CollectingSink())
        #expect(head.status == 200)
        #expect(server.requests().count == 2)
    }

    /// Retry-After on a 429 is honoured, capped by maximumRetryDelay.
    @Test func retryAfterIsHonouredUpToTheCap() throws {
        let server = try FaultServer(root: files.root)
        server.set("/small.bin", .init(failStatus: 429, failTimes: 1, headers: ["Retry-After": "1"]))
        let start = Date()
        let head = try client().fetch(HTTPRequest(url: server.baseURL + "/small.bin"), sink: CollectingSink())
        #expect(head.status == 200)
        #expect(Date().timeIntervalSince(start) >= 0.9)
        server.set("/small.bin", .init(failStatus: 503, failTimes: 1, headers: ["Retry-After": "3600"]))
        let capped = Date()
        _ = try client { $0.maximumRetryDelay = .milliseconds(200) }
            .fetch(HTTPRequest(url: server.baseURL + "/small.bin"), sink: CollectingSink())
        #expect(Date().timeIntervalSince(capped) < 3)
    }

    @Test func persistentServerErrorFailsAfterTheRetries() throws {
        let server = try FaultServer(root: files.root)
        server.set("/small.bin", .status(500))
        let sink = CollectingSink()
        let error = expectError(.status(500)) {
            () throws(HTTPError) in try client { $0.retries = 2 }.fetch(HTTPRequest(url: server.baseURL + "/small.bin"), sink: sink)
        }
        #expect(error.map { SymbolStoreError(upstream: $0).kind } == .upstreamUnavailable(.status(500)))
        #expect(error?.isServerFailure == true)
        #expect(server.requests().count == 3)
        #expect(sink.heads.isEmpty)
    }

    /// Other 4xx answers are not retried.
    @Test func forbiddenIsNotRetried() throws {
        let server = try FaultServer(root: files.root)
        server.set("/small.bin", .status(403))
        let head = try client().fetch(HTTPRequest(url: server.baseURL + "/small.bin"), sink: CollectingSink())
        #expect(head.status == 403)
        #expect(server.requests().count == 1)
    }

    /// A reset before any response is retried.
    @Test func resetBeforeTheAnswerIsRetried() throws {
        let server = try FaultServer(root: files.root)
        server.set("/small.bin", .init(resetTimes: 1))
        let sink = CollectingSink()
        let head = try client().fetch(HTTPRequest(url: server.baseURL + "/small.bin"), sink: sink)
        #expect(head.status == 200)
        #expect(sink.body == files.small)
        #expect(server.requests().count == 2)
    }

    /// A reset after body bytes reached the sink is an error, and not retried (the sink has data).
    @Test func resetMidBodyIsAnError() throws {
        let server = try FaultServer(root: files.root)
        server.set("/small.bin", .init(resetAfterBytes: 1000))
        let sink = CollectingSink()
        let error = expectError(.connectionReset) {
            () throws(HTTPError) in try client().fetch(HTTPRequest(url: server.baseURL + "/small.bin"), sink: sink)
        }
        #expect(error.map { SymbolStoreError(upstream: $0).kind } == .upstreamUnavailable(.transport))
        #expect(server.requests().count == 1)
        #expect(sink.body.count <= 1000)
    }

    /// A body shorter than its Content-Length is `truncated` (CURLE_PARTIAL_FILE), never a short success.
    @Test func truncatedBodyIsAnError() throws {
        let server = try FaultServer(root: files.root)
        server.set("/small.bin", .init(truncateAfterBytes: 3000))
        let error = expectError(.truncated) {
            () throws(HTTPError) in try client().fetch(HTTPRequest(url: server.baseURL + "/small.bin"), sink: CollectingSink())
        }
        #expect(error.map { SymbolStoreError(upstream: $0).kind } == .upstreamUnavailable(.transport))
    }

    @Test func lyingContentLengthIsTruncation() throws {
        let server = try FaultServer(root: files.root)
        server.set("/small.bin", .init(contentLength: 9000))
        _ = expectError(.truncated) {
            () throws(HTTPError) in try client().fetch(HTTPRequest(url: server.baseURL + "/small.bin"), sink: CollectingSink())
        }
    }

    /// A stalled body (no byte for longer than stallTimeout) is a timeout: ETIMEDOUT, well before the stall ends.
    @Test func stallIsATimeout() throws {
        let server = try FaultServer(root: files.root)
        server.set("/small.bin", .init(stallSeconds: 8))
        let start = Date()
        let error = expectError(.timedOut) {
            () throws(HTTPError) in try client { $0.stallTimeout = .seconds(1); $0.retries = 0 }
                .fetch(HTTPRequest(url: server.baseURL + "/small.bin"), sink: CollectingSink())
        }
        #expect(error.map { SymbolStoreError(upstream: $0).kind } == .upstreamUnavailable(.timeout))
        #expect(Date().timeIntervalSince(start) < 6)
    }

    /// A slow but moving body is not a stall: there is no total-time cap (spec §7 #6).
    @Test func slowBodyIsNotAStall() throws {
        let server = try FaultServer(root: files.root)
        server.set("/small.bin", .init(bytesPerSecond: 2500))
        let sink = CollectingSink()
        let head = try client { $0.stallTimeout = .seconds(1) }
            .fetch(HTTPRequest(url: server.baseURL + "/small.bin"), sink: sink)
        #expect(head.status == 200)
        #expect(sink.body == files.small)
    }

    @Test func refusedConnectionIsConnectFailed() throws {
        let port = try LoopbackPort.free()
        let http = client { $0.retries = 1 }
        let error = expectError(.connectFailed) {
            () throws(HTTPError) in try http.fetch(HTTPRequest(url: "http://127.0.0.1:\(port)/x"), sink: CollectingSink())
        }
        #expect(error.map { SymbolStoreError(upstream: $0).kind } == .upstreamUnavailable(.refused))
        #expect(http.statistics.retries == 1)
    }

    // MARK: Redirects (spec §3.2, §3.3)

    @Test func sameHostRedirectKeepsCredentials() throws {
        let server = try FaultServer(root: files.root)
        server.set("/moved.bin", .init(redirect: "/small.bin", redirectStatus: 301))
        let http = client { $0.extraHeaders = [(hostSuffix: "127.0.0.1", name: "Authorization", value: "Basic a")] }
        let sink = CollectingSink()
        let head = try http.fetch(HTTPRequest(url: server.baseURL + "/moved.bin", range: 0..<10), sink: sink)
        #expect(head.status == 206)
        #expect(head.finalURL == server.baseURL + "/small.bin")
        #expect(sink.body == files.small.prefix(10))
        let seen = server.requests()
        #expect(seen.map(\.path) == ["/moved.bin", "/small.bin"])
        #expect(seen.map { $0.headers["authorization"] } == ["Basic a", "Basic a"])
        #expect(seen.map(\.range) == ["bytes=0-9", "bytes=0-9"])
    }

    /// Azure DevOps sends blobs to another host: the Authorization header (configured or per request) must not
    /// follow, the query (a SAS signature) is used but never shown.
    @Test func crossHostRedirectDropsCredentials() throws {
        let server = try FaultServer(root: files.root)
        let elsewhere = "http://localhost:\(server.port)/small.bin?sig=SECRET"
        server.set("/moved.bin", .init(redirect: elsewhere))
        let http = client { $0.extraHeaders = [(hostSuffix: "127.0.0.1", name: "Authorization", value: "Basic a")] }
        let sink = CollectingSink()
        let head = try http.fetch(
            HTTPRequest(url: server.baseURL + "/moved.bin", extraHeaders: [("Cookie", "c=1"), ("X-Keep", "yes")]),
            sink: sink)
        #expect(head.status == 200)
        #expect(head.finalURL == "http://localhost:\(server.port)/small.bin")
        #expect(sink.body == files.small)
        let seen = server.requests()
        #expect(seen.map(\.path) == ["/moved.bin", "/small.bin?sig=SECRET"])
        #expect(seen[0].headers["authorization"] == "Basic a")
        #expect(seen[0].headers["cookie"] == "c=1")
        #expect(seen[1].headers["authorization"] == nil)
        #expect(seen[1].headers["cookie"] == nil)
        #expect(seen[1].headers["x-keep"] == "yes")
    }

    /// Another port on the same host is another server (curl's rule since CVE-2022-27774).
    @Test func otherPortRedirectDropsCredentials() throws {
        let server = try FaultServer(root: files.root)
        let other = try FaultServer(root: files.root)
        server.set("/moved.bin", .init(redirect: other.baseURL + "/small.bin"))
        let http = client { $0.extraHeaders = [(hostSuffix: "127.0.0.1", name: "Authorization", value: "Basic a")] }
        let sink = CollectingSink()
        let head = try http.fetch(
            HTTPRequest(url: server.baseURL + "/moved.bin", extraHeaders: [("Cookie", "c=1")]), sink: sink)
        #expect(head.status == 200 && sink.body == files.small)
        #expect(server.requests().first?.headers["authorization"] == "Basic a")
        let seen = try #require(other.requests().first)
        #expect(seen.headers["authorization"] == nil && seen.headers["cookie"] == nil, "\(seen.headers)")
    }

    @Test func redirectLoopIsBounded() throws {
        let server = try FaultServer(root: files.root)
        server.set("/a", .init(redirect: "/b"))
        server.set("/b", .init(redirect: "/a"))
        _ = expectError(.tooManyRedirects) {
            () throws(HTTPError) in try client { $0.maximumRedirects = 4 }
                .fetch(HTTPRequest(url: server.baseURL + "/a"), sink: CollectingSink())
        }
        #expect(server.requests().count == 5)
    }

    @Test func redirectToAnotherSchemeIsRefused() throws {
        let server = try FaultServer(root: files.root)
        server.set("/a", .init(redirect: "file:///etc/passwd"))
        _ = expectError(.forbiddenRedirect(reason: "to scheme file")) {
            () throws(HTTPError) in try client().fetch(HTTPRequest(url: server.baseURL + "/a"), sink: CollectingSink())
        }
        #expect(server.requests().count == 1)
    }

    /// HTTPS to HTTP is refused; leaving the host drops credentials (judged on URLs: no TLS server here).
    @Test func redirectPolicyOnURLs() {
        let original = "https://artifacts.dev.azure.com/org/_apis/symbol/symsrv/a.pdb/K/a.pdb"
        #expect(RedirectPolicy.judge(from: original, to: "http://artifacts.dev.azure.com/x", original: original)
            == .refuse(reason: "from HTTPS to HTTP"))
        #expect(RedirectPolicy.judge(from: original, to: "https://vsblob.blob.core.windows.net/x?sv=1", original: original)
            == .follow(keepCredentials: false))
        #expect(RedirectPolicy.judge(from: original, to: "https://ARTIFACTS.dev.azure.com/y", original: original)
            == .follow(keepCredentials: true))
        #expect(RedirectPolicy.judge(from: "http://a/x", to: "https://a/x", original: "http://a/x")
            == .follow(keepCredentials: true))
        #expect(RedirectPolicy.judge(from: original, to: "https://artifacts.dev.azure.com:8443/y", original: original)
            == .follow(keepCredentials: false))
        #expect(RedirectPolicy.judge(from: "http://a/x", to: "http://a:80/y", original: "http://a/x")
            == .follow(keepCredentials: true))
        #expect(RedirectPolicy.judge(from: "http://a:8080/x", to: "https://a/x", original: "http://a:8080/x")
            == .follow(keepCredentials: false))
        #expect(RedirectPolicy.judge(from: "http://a/x", to: "ftp://a/x", original: "http://a/x")
            == .refuse(reason: "to scheme ftp"))
    }

    @Test func headersMatchHostSuffixes() {
        let header = (hostSuffix: ".dev.azure.com", name: "Authorization", value: "x")
        #expect(HTTPConfiguration.header(header, appliesTo: "artifacts.dev.azure.com"))
        #expect(HTTPConfiguration.header(header, appliesTo: "DEV.AZURE.COM"))
        #expect(!HTTPConfiguration.header(header, appliesTo: "evil-dev.azure.com.example"))
        #expect(!HTTPConfiguration.header(header, appliesTo: "notdev.azure.com"))
    }

    @Test func invalidURLIsRefusedUpFront() {
        _ = expectError(.invalidURL) {
            () throws(HTTPError) in try client().fetch(HTTPRequest(url: "ftp://127.0.0.1/x"), sink: CollectingSink())
        }
    }

    // MARK: Parsing

    @Test func contentRangeForms() {
        #expect(ResponseHeaders.parseContentRange("bytes 0-4095/123456") == .init(start: 0, end: 4095, total: 123456))
        #expect(ResponseHeaders.parseContentRange("bytes 0-4095/*") == .init(start: 0, end: 4095, total: nil))
        #expect(ResponseHeaders.parseContentRange("bytes */5000") == .init(start: 0, end: 0, total: 5000))
        #expect(ResponseHeaders.parseContentRange("bytes 10-5/100") == nil)
        #expect(ResponseHeaders.parseContentRange("bytes 0-100/100") == nil)
        #expect(ResponseHeaders.parseContentRange("items 0-1/2") == nil)
    }

    @Test func httpDates() {
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == 784111777)
        #expect(HTTPDate.parse("Thu, 01 Jan 1970 00:00:00 GMT") == 0)
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
        #expect(HTTPDate.parse("Fri, 31 Dec 9999 23:59:59 GMT") == 253402300799)
        // A Last-Modified with a year of 15 digits (either sign) is no date, not an arithmetic overflow.
        #expect(HTTPDate.parse("Sun, 06 Nov 999999999999999 08:49:37 GMT") == nil)
        #expect(HTTPDate.parse("Sun, 06 Nov -999999999999999 08:49:37 GMT") == nil)
        var headers = ResponseHeaders()
        headers.add(line: "Last-Modified: Sun, 06 Nov 9223372036854775807 08:49:37 GMT\r\n")
        #expect(headers.lastModified == nil)
    }

    /// A request's deadline bounds it whole: a body trickling at 1 byte/s, and retries of a failing server,
    /// end as timed out once it has passed.
    @Test func aDeadlineBoundsSlowBodiesAndRetries() throws {
        let temporary = try TemporaryDirectory()
        try Data(repeating: 7, count: 4096).write(to: URL(fileURLWithPath: temporary.path + "/slow.bin"))
        try Data(repeating: 8, count: 16).write(to: URL(fileURLWithPath: temporary.path + "/failing.bin"))
        let server = try FaultServer(root: temporary.path)
        server.set("/slow.bin", .init(bytesPerSecond: 1))
        server.set("/failing.bin", .init(failStatus: 503, failTimes: -1, headers: ["Retry-After": "2"]))
        let http = HTTPClient(configuration: HTTPConfiguration(retries: 10))
        for path in ["/slow.bin", "/failing.bin"] {
            let started = MonotonicTime.now()
            let request = HTTPRequest(url: server.baseURL + path, deadline: started + .seconds(1))
            let error = expectError(.timedOut) {
                () throws(HTTPError) in try http.fetch(request, sink: CollectingSink())
            }
            #expect(error != nil, "\(path)")
            #expect(MonotonicTime.now() - started < .seconds(4), "\(path)")
        }
    }

    @Test func urlsInLogsLoseTheirQuery() {
        #expect(HTTPURL.withoutQuery("https://b.blob.core.windows.net/c/x.pdb?sv=1&sig=abc") == "https://b.blob.core.windows.net/c/x.pdb")
        #expect(HTTPError(kind: .truncated, url: "http://h/x?sig=s", message: "").description == "http://h/x: body truncated")
        #expect(HTTPURL("http://user:pw@[::1]:8080/x")?.host == "::1")
        #expect(HTTPURL("HTTPS://Example.COM/x")?.host == "example.com")
    }
}
