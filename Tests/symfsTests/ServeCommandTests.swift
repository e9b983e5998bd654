import Foundation
import Testing
import TestSupport

/// `symfs serve` run as the built command and asked by real clients: curl against a store `symfs add` wrote, hostile
/// paths, a mount of the served path, nginx and the fault server as upstreams, 200 clients of one uncached file, a
/// stop in the middle of a download, and nginx's proxy_cache in front of two instances over one cache directory.
@Suite(.serialized)
struct ServeCommandTests {
    static let binaries = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/symstore-exe/binaries").path
    /// Stored as they are by `symfs add`; `compressed` is added with `--compress` (`dummylib.pd_`).
    static let plain = ["dummyprog.exe", "dummyprog.pdb", "dummylib.dll", "bigage.pdb"]
    static let compressed = "dummylib.pdb"
    static let symstore = MountFixture.symstoreWithCompression
    static let immutable = "public, max-age=31536000, immutable"

    @Test("curl against a store add wrote: files in any case, HEAD, ranges, ETag, misses, the server's own paths, methods")
    func curlAgainstALocalStore() throws {
        let directory = try TemporaryDirectory("symfs-serve")
        let store = directory.path + "/store"
        let files = try Self.addStore(at: store)
        try serving("srv*\(store)", ["--miss-timeout", "123"], in: directory) { serve in
            for file in files {
                let url = serve.baseURL + "/" + file.storePath
                let reply = try Self.fetch(url, ["-H", "Accept-Encoding: gzip"])
                #expect(reply.status == 200 && reply.body == file.bytes, "\(file.name): \(reply.status)")
                #expect(reply.headers["content-length"] == String(file.bytes.count), "\(file.name)")
                #expect(reply.headers["accept-ranges"] == "bytes", "\(file.name)")
                #expect(reply.headers["cache-control"] == Self.immutable, "\(file.name)")
                #expect(reply.headers["last-modified"]?.hasSuffix(" GMT") == true, "\(file.name)")
                #expect(reply.headers["content-encoding"] == nil, "\(file.name): gzip was offered, not asked for")
                let etag = try #require(reply.headers["etag"], "\(file.name)")
                // SSQP clients ask in lower case, pdbparse sends PE keys in lower case: the same file, the same ETag.
                let spelled = "/\(file.name.uppercased())/\(file.key.lowercased())/\(file.name.uppercased())"
                let other = try Self.fetch(serve.baseURL + spelled)
                #expect(other.status == 200 && other.body == file.bytes && other.headers["etag"] == etag, "\(spelled)")
                // HEAD: the same head, and not one byte after it (a raw connection shows what follows).
                let head = Self.raw(serve.port, "HEAD /\(file.storePath) HTTP/1.1")
                #expect(head.status == 200 && head.body.isEmpty, "HEAD \(file.name): \(head.status), \(head.body.count) bytes")
                #expect(head.headers["content-length"] == String(file.bytes.count) && head.headers["etag"] == etag)
                let unchanged = try Self.fetch(url, ["-H", "If-None-Match: \(etag)"])
                #expect(unchanged.status == 304 && unchanged.body.isEmpty, "\(file.name): \(unchanged.status)")
                #expect(try Self.fetch(url, ["-H", "If-None-Match: \"other\""]).status == 200)
            }

            let big = try #require(files.max { $0.bytes.count < $1.bytes.count })
            let url = serve.baseURL + "/" + big.storePath
            let size = big.bytes.count
            for (asked, span) in [("10-19", 10..<20), ("-5", size - 5..<size), ("100-", 100..<size)] {
                let reply = try Self.fetch(url, ["-H", "Range: bytes=\(asked)"])
                #expect(reply.status == 206, "bytes=\(asked)")
                #expect(reply.headers["content-range"] == "bytes \(span.lowerBound)-\(span.upperBound - 1)/\(size)")
                #expect(reply.body == big.bytes.subdata(in: span), "bytes=\(asked)")
            }
            for asked in ["\(size)-", "\(size + 10)-\(size + 20)"] {
                let reply = try Self.fetch(url, ["-H", "Range: bytes=\(asked)"])
                #expect(reply.status == 416 && reply.headers["content-range"] == "bytes */\(size)", "bytes=\(asked)")
            }

            let miss = try Self.fetch(serve.baseURL + "/absent.pdb/0123456789ABCDEF0123456789ABCDEF1/absent.pdb")
            #expect(miss.status == 404 && miss.headers["cache-control"] == "max-age=123", "\(miss.headers)")
            let ping = try Self.fetch(serve.baseURL + "/pingme.txt")
            #expect(ping.status == 200 && ping.body.isEmpty)
            #expect(try Self.fetch(serve.baseURL + "/index2.txt").status == 404)
            for file in files {
                let pointer = try Self.fetch("\(serve.baseURL)/\(file.name)/\(file.key)/file.ptr")
                #expect(pointer.status == 404, "\(file.name)/file.ptr")
            }
            // name_ gives the CAB as the store holds it; a name stored plain has none.
            let cab = try #require(files.first { $0.name == Self.compressed })
            let stored = try Data(contentsOf: URL(fileURLWithPath: "\(store)/\(cab.name)/\(cab.key)/\(cab.compressedName)"))
            let archive = try Self.fetch("\(serve.baseURL)/\(cab.name)/\(cab.key)/\(cab.compressedName)")
            #expect(archive.status == 200 && archive.body == stored && archive.body.starts(with: Array("MSCF".utf8)))
            for file in files where file.name != Self.compressed {
                #expect(try Self.fetch("\(serve.baseURL)/\(file.name)/\(file.key)/\(file.compressedName)").status == 404)
            }
            for method in ["POST", "PUT", "DELETE", "PATCH"] {
                let reply = try Self.fetch(serve.baseURL + "/" + big.storePath, ["-X", method, "--data", "x"])
                let allowed = reply.headers["allow"] ?? ""
                #expect(reply.status == 405 && allowed.contains("GET") && allowed.contains("HEAD"), "\(method): \(reply.status)")
            }
            let queried = try Self.fetch(url + "?download=1&name=..%2f..%2fsecret")
            #expect(queried.status == 200 && queried.body == big.bytes)
            #expect(try Self.fetch(serve.baseURL + "/pingme.txt?x=1").status == 200)
        }
    }

    @Test("Traversal in every spelling, raw request lines included, gets 400 or 404 and never a file outside the store")
    func hostilePaths() throws {
        let directory = try TemporaryDirectory("symfs-serve")
        let logs = try TemporaryDirectory("symfs-serve-logs")
        let store = directory.path + "/store"
        let files = try Self.addStore(at: store)
        let secret = "secret-\(UUID().uuidString)"
        try secret.write(toFile: directory.path + "/secret.txt", atomically: true, encoding: .utf8)
        let before = ReadBack.files(under: directory.path)
        let long = String(repeating: "a", count: 300)
        let key = "0123456789ABCDEF0123456789ABCDEF1"
        let spelled = [
            "/../secret.txt", "/../../../../../../etc/passwd", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt",
            "/%2e%2E/%2E%2e/%2e%2e/etc/passwd", "/.%2e/secret.txt", "/..%2fsecret.txt", "/%2e%2e%2fsecret.txt",
            "/%2fetc%2fpasswd/\(key)/%2fetc%2fpasswd", "/dummyprog.exe/5617D4FE8000/..%2f..%2f..%2fsecret.txt",
            "/dummyprog.exe/../dummyprog.exe", "/dummyprog.exe/%2e%2e/dummyprog.exe",
            "/dummyprog.exe/5617D4FE8000/dummyprog.exe/..", "/..%5csecret.txt", "/..%5C..%5Csecret.txt/\(key)/x",
            "/%5c..%5csecret.txt/\(key)/%5c..%5csecret.txt", "/secret.txt%00/\(key)/secret.txt%00", "/%00",
            "/dummyprog.exe%00.pdb/5617D4FE8000/dummyprog.exe%00.pdb", "/%c0%ae%c0%ae/secret.txt",
            "/%c0%ae%c0%ae%c0%afsecret.txt", "/%e0%80%ae%e0%80%ae/secret.txt", "/%c0%2e%c0%2e/secret.txt",
            "/%252e%252e/secret.txt", "/\(long)/\(key)/\(long)", "/\(long).pdb/\(key)/\(long).pdb",
            "/x.pdb/\(long)/x.pdb", "/etc/passwd", "//etc/passwd", "/etc/passwd/x/passwd", "/secret.txt",
            "/secret.txt/\(key)/secret.txt", directory.path + "/secret.txt", "/..\\..\\secret.txt",
            "/%2e%2e/\(key)/msfz0/%2e%2e",
        ]
        try serving("srv*\(store)", in: logs) { serve in
            var replies: [(String, Reply)] = []
            for path in spelled {
                replies.append((path, try Self.fetch(serve.baseURL + path)))
            }
            // What curl normalises or will not send: backslashes, relative and absolute forms, raw NUL and overlong
            // bytes in the request line.
            let authority = "http://127.0.0.1:\(serve.port)"
            let lines = [
                "/..\\secret.txt", "/dummyprog.exe\\..\\..\\secret.txt/5617D4FE8000/dummyprog.exe", "\\..\\secret.txt",
                "../secret.txt", "..", "\(authority)/../secret.txt", "\(authority)/%2e%2e/secret.txt",
                "\(authority)\(directory.path)/secret.txt", "file://\(directory.path)/secret.txt",
                "http://127.0.0.1:\(serve.port)/..%2f..%2fsecret.txt",
            ].map { Array($0.utf8) } + [
                Array("/".utf8) + [0] + Array("secret.txt".utf8),
                Array("/".utf8) + [0xC0, 0xAE, 0xC0, 0xAE] + Array("/secret.txt".utf8),
                Array("/dummyprog.exe/5617D4FE8000/".utf8) + [0xC0, 0xAE, 0xC0, 0xAE],
            ]
            for line in lines {
                let request = Array("GET ".utf8) + line + Array(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
                replies.append((String(decoding: line, as: UTF8.self), Self.raw(serve.port, bytes: request)))
            }
            for (path, reply) in replies {
                #expect([400, 404].contains(reply.status), "\(path.prefix(120)): \(reply.status)")
                #expect(!reply.text.contains(secret) && !reply.text.contains("root:"), "\(path.prefix(120)) leaked a file")
            }
            // The server is unharmed and still serves its files.
            #expect(Self.raw(serve.port, "GET /healthz HTTP/1.1").status == 200)
            let file = files[0]
            #expect(try Self.fetch(serve.baseURL + "/" + file.storePath).body == file.bytes)
        }
        #expect(ReadBack.files(under: directory.path) == before, "the requests changed the disk")
    }

    @Test("A mount of the served path reads every file byte-identical, and its cache then holds them")
    func mountOfTheServedPath() throws {
        let directory = try TemporaryDirectory("symfs-serve")
        let store = directory.path + "/store"
        let cache = directory.path + "/cache"
        let files = try Self.addStore(at: store)
        try serving("srv*\(store)", in: directory) { serve in
            let mount = try SymfsMount(symbolPath: "srv*\(cache)*\(serve.baseURL)")
            defer { mount.unmount() }
            for file in files {
                #expect(try run("cmp", [file.path, mount.path(file.storePath)]).status == 0, "\(file.name)")
            }
            for file in files {
                let cached = Self.waitForCached(cache, file)
                #expect(cached != nil, "\(file.name) is not in \(ReadBack.files(under: cache))")
                if let cached { #expect(try run("cmp", [file.path, cached]).status == 0, "\(cached)") }
            }
            #expect(ReadBack.files(under: cache).count == files.count, "\(ReadBack.files(under: cache))")
            #expect(mount.unmount() == 0, "\(mount.log().suffix(1500))")
        }
    }

    @Test("nginx upstreams (PyPI symstore, plain and CAB): byte-identical, name_ served decompressed, the cache filled")
    func nginxUpstreams() throws {
        let directory = try TemporaryDirectory("symfs-serve")
        let plainFiles = try ["dummyprog.exe", "dummyprog.pdb", "bigage.pdb"].map { try Self.fixture(Self.binaries + "/" + $0) }
        let cabFiles = try ["dummylib.dll", "dummylib.pdb"].map { try Self.fixture(Self.binaries + "/" + $0) }
        let (flat, cabs, cache) = (directory.path + "/flat", directory.path + "/cab", directory.path + "/cache")
        try runChecked(Self.symstore, [flat] + plainFiles.map(\.path))
        try runChecked(Self.symstore, ["-z", cabs] + cabFiles.map(\.path))
        for file in cabFiles {
            try #require(FileManager.default.fileExists(atPath: "\(cabs)/\(file.name)/\(file.key)/\(file.compressedName)"))
        }
        let flatServer = try NginxServer(root: flat)
        let cabServer = try NginxServer(root: cabs)
        try serving("srv*\(cache)*\(flatServer.baseURL);srv*\(cache)*\(cabServer.baseURL)", in: directory) { serve in
            for file in plainFiles + cabFiles {
                let reply = try Self.fetch(serve.baseURL + "/" + file.storePath)
                #expect(reply.status == 200 && reply.body == file.bytes, "\(file.name): \(reply.status)")
                #expect(reply.headers["content-length"] == String(file.bytes.count), "\(file.name)")
            }
            #expect(cabServer.accessLog().contains { $0.path.hasSuffix("_") && [200, 206].contains($0.status) },
                    "the CAB store was not asked for name_: \(cabServer.accessLog())")
            for file in plainFiles + cabFiles {
                let cached = Self.waitForCached(cache, file)
                #expect(cached.map { FileManager.default.contents(atPath: $0) == file.bytes } == true,
                        "\(file.name): \(ReadBack.files(under: cache))")
            }
            #expect(ReadBack.files(under: cache).count == plainFiles.count + cabFiles.count, "\(ReadBack.files(under: cache))")
            // Asked again, the files come from the cache: neither nginx sees a request.
            let asked = flatServer.accessLog().count + cabServer.accessLog().count
            for file in plainFiles + cabFiles {
                #expect(try Self.fetch(serve.baseURL + "/" + file.storePath).body == file.bytes, "\(file.name)")
            }
            #expect(flatServer.accessLog().count + cabServer.accessLog().count == asked)
        }
    }

    @Test("Upstream faults: 5xx is 502, too slow 504, a lie 502 or a cut body, a refused port 502; nothing cached")
    func upstreamFaults() throws {
        let directory = try TemporaryDirectory("symfs-serve")
        let store = directory.path + "/store"
        let files = try Self.addStore(at: store)
        let target = try #require(files.first { $0.name == "dummyprog.pdb" })
        // A PDB as well, so that the probe finds the magic the name promises and only the key gives the lie away.
        let other = try Self.fixture(Self.binaries + "/dummylib.pdb")
        let server = try FaultServer(root: store)
        let targetPaths = ["/" + target.storePath,
                           "/\(target.name.lowercased())/\(target.key.lowercased())/\(target.name.lowercased())"]
        let refused = try LoopbackPort.free()
        let cases: [(name: String, upstream: String, everyPath: FaultServer.Behavior?, target: FaultServer.Behavior?,
                     statuses: [Int])] = [
            ("a 503 server", server.baseURL, .status(503), nil, [502]),
            ("a server slower than the lookup deadline", server.baseURL, .init(answerDelaySeconds: 8), nil, [504]),
            // Another file's bytes under the target's name; 200 when the head went out before the lie was found.
            ("a lying server", server.baseURL, nil, .init(body: other.bytes), [502, 200]),
            ("a refused port", "http://127.0.0.1:\(refused)", nil, nil, [502]),
        ]
        for (index, fault) in cases.enumerated() {
            server.set(FaultServer.everyPath, fault.everyPath)
            for path in targetPaths { server.set(path, fault.target) }
            let cache = directory.path + "/cache-\(index)"
            try serving("srv*\(cache)*\(fault.upstream)", ["--lookup-timeout", "2"], in: directory) { serve in
                let started = Date()
                let reply = try Self.fetch(serve.baseURL + "/" + target.storePath)
                let seconds = Date().timeIntervalSince(started)
                #expect(fault.statuses.contains(reply.status), "\(fault.name): \(reply.status) \(reply.text.prefix(200))")
                if reply.status == 200 {
                    #expect(reply.curlStatus != 0 && reply.body.count < other.bytes.count,
                            "\(fault.name): the lie was sent whole (\(reply.body.count) bytes, curl \(reply.curlStatus))")
                } else {
                    let text = reply.text
                    #expect(text.count > 1 && text.hasSuffix("\n") && !text.dropLast().contains("\n"),
                            "\(fault.name): not one line: \(text.debugDescription)")
                }
                #expect(seconds < 6, "\(fault.name): answered after \(seconds) s")
                #expect(Self.raw(serve.port, "GET /healthz HTTP/1.1").status == 200, "\(fault.name)")
                #expect(Self.settledEmpty(cache), "\(fault.name): \(ReadBack.files(under: cache))")
            }
            #expect(ReadBack.files(under: cache).isEmpty, "\(fault.name), after the stop: \(ReadBack.files(under: cache))")
        }
    }

    @Test("200 clients of one uncached 128 MiB file: all byte-identical, one download from nginx")
    func twoHundredClientsShareOneDownload() throws {
        let directory = try TemporaryDirectory("symfs-serve")
        let large = try Self.paddedImage(in: directory.path, mebibytes: 128)
        let store = directory.path + "/store"
        let cache = directory.path + "/cache"
        try StoreWriter.place(large.path, at: store, large.storePath)
        let upstream = try NginxServer(root: store)
        let expected = try Self.sha256(large.path)
        // 200 curl processes and the server share 2 cores (slower yet under a sanitizer): a client may wait its
        // turn longer than the default idle timeout of 30 s; one run in four here saw a client cut.
        try serving("srv*\(cache)*\(upstream.baseURL)", ["--idle-timeout", "120"], in: directory) { serve in
            let started = Date()
            let results = try Self.concurrentDigests(serve.baseURL + "/" + large.storePath, clients: 200, in: directory.path)
            let seconds = Int(Date().timeIntervalSince(started))
            let failed = results.filter { $0.digest != expected || $0.curlStatus != 0 }
            let errors = Set(failed.map { "curl \($0.curlStatus): \($0.error)" }).sorted().prefix(3).joined(separator: "; ")
            #expect(results.count == 200 && failed.isEmpty, "\(failed.count) of 200 clients wrong after \(seconds) s: \(errors)")
            let size = large.size
            let fetched = upstream.accessLog().filter {
                $0.method == "GET" && $0.status / 100 == 2 && $0.path.lowercased() == "/" + large.storePath.lowercased()
            }
            let bytes = fetched.reduce(0) { $0 + $1.bytes }
            // The 4 KiB probe, then 8 MiB ranges: every byte crosses once, however many clients.
            #expect(bytes >= size && bytes < 2 * size, "\(bytes) bytes from nginx for a file of \(size): \(fetched.count) GETs")
            #expect(fetched.filter { $0.range == nil }.count <= 1, "\(fetched.map { $0.range ?? "whole" })")
            #expect(Set(fetched.compactMap(\.range)).count == fetched.compactMap(\.range).count, "a range fetched twice")
            let status = (try? String(contentsOfFile: "/proc/\(serve.process.processIdentifier)/status", encoding: .utf8)) ?? ""
            print("200 clients of 128 MiB: \(seconds) s; symfs serve", status.split(separator: "\n").filter { $0.hasPrefix("VmHWM") })
            let cached = Self.waitForCached(cache, large)
            #expect(try cached.map { try run("cmp", [large.path, $0]).status == 0 } == true, "\(ReadBack.files(under: cache))")
        }
    }

    @Test("SIGTERM while a large file streams to a client: an exit within seconds, the cache holds nothing or the whole file")
    func stopDuringADownload() throws {
        let directory = try TemporaryDirectory("symfs-serve")
        let large = try Self.paddedImage(in: directory.path, mebibytes: 64)
        let store = directory.path + "/store"
        let cache = directory.path + "/cache"
        try StoreWriter.place(large.path, at: store, large.storePath)
        // Each connection at 2 MB/s: the download is still under way when the stop comes.
        let upstream = try NginxServer(root: store, extraServerDirectives: "limit_rate 2m;")
        let serve = try Serve("srv*\(cache)*\(upstream.baseURL)", in: directory)
        defer { serve.stop() }
        let received = directory.path + "/received"
        let client = Process()
        client.executableURL = URL(fileURLWithPath: try which("curl"))
        client.arguments = ["-sS", "--max-time", "120", "--limit-rate", "1M", "-o", received, serve.baseURL + "/" + large.storePath]
        client.standardInput = FileHandle.nullDevice
        client.standardOutput = FileHandle.nullDevice
        client.standardError = FileHandle.nullDevice
        try client.run()
        defer { stopChild(client) }
        let deadline = Date() + 30
        while Date() < deadline, client.isRunning, Self.size(received) < 1 << 20 { usleep(20_000) }
        try #require(Self.size(received) >= 1 << 20, "the client got \(Self.size(received)) bytes: \(serve.log().suffix(1500))")

        serve.signal(SIGTERM)
        var status = serve.waitForExit(seconds: 12)
        #expect(status == 0, "symfs serve still running 12 s after SIGTERM with a client streaming (status \(String(describing: status)))")
        if status == nil {
            // Let the graceful stop end by ending the client, so what it leaves in the cache is still checked.
            stopChild(client)
            status = serve.waitForExit(seconds: 15)
            #expect(status == 0, "symfs serve once its client was gone: \(String(describing: status))")
        }
        let left = ReadBack.files(under: cache)
        #expect(left.isEmpty || left.map { $0.lowercased() } == [large.storePath.lowercased()], "\(left)")
        if left.count == 1 {
            #expect(try run("cmp", [large.path, cache + "/" + left[0]]).status == 0, "a partial file in the cache")
        }
    }

    @Test("nginx proxy_cache in front of two instances over one cache: a repeat is a HIT, two fills at once leave one file")
    func scaleOutBehindNginx() throws {
        let directory = try TemporaryDirectory("symfs-serve")
        let store = directory.path + "/store"
        let shared = directory.path + "/shared-cache"
        let small = try Self.fixture(Self.binaries + "/dummyprog.pdb")
        let large = try Self.paddedImage(in: directory.path, mebibytes: 32)
        for file in [small, large] { try StoreWriter.place(file.path, at: store, file.storePath) }
        let upstream = try NginxServer(root: store, extraServerDirectives: "limit_rate 8m;")
        let first = try Serve("srv*\(shared)*\(upstream.baseURL)", in: directory)
        defer { first.stop() }
        let second = try Serve("srv*\(shared)*\(upstream.baseURL)", in: directory)
        defer { second.stop() }
        let front = try FrontCache(backends: [first.port, second.port])
        defer { front.stop() }

        let url = front.baseURL + "/" + small.storePath
        let miss = try Self.fetch(url)
        #expect(miss.status == 200 && miss.body == small.bytes && miss.headers["x-cache-status"] == "MISS", "\(miss.headers)")
        let hit = try Self.fetch(url)
        #expect(hit.status == 200 && hit.body == small.bytes && hit.headers["x-cache-status"] == "HIT", "\(hit.headers)")
        let served = (first.log() + second.log()).components(separatedBy: "GET /\(small.storePath) 200").count - 1
        #expect(served == 1, "the instances answered \(served) times")

        // Both instances asked for the same uncached file at once, bypassing nginx.
        let replies = Replies()
        #expect(runOnThreads(2, timeout: 120) { index in
            replies.add(try? Self.fetch([first, second][index].baseURL + "/" + large.storePath))
        })
        let expected = try Data(contentsOf: URL(fileURLWithPath: large.path))
        #expect(replies.all.count == 2 && replies.all.allSatisfy { $0.status == 200 && $0.body == expected },
                "\(replies.all.map { "\($0.status) \($0.body.count) curl \($0.curlStatus)" })")
        let cached = Self.waitForCached(shared, large)
        #expect(try cached.map { try run("cmp", [large.path, $0]).status == 0 } == true)
        let files = ReadBack.files(under: shared).map { $0.lowercased() }
        #expect(files.sorted() == [large.storePath, small.storePath].map { $0.lowercased() }.sorted(), "\(files)")
        for serve in [first, second] {
            let stopped = serve.stop()
            #expect(stopped.status == 0, "\(stopped): \(serve.log().suffix(1500))")
        }
    }
}

// MARK: - The server, its upstreams and its clients

extension ServeCommandTests {
    /// `symfs serve` run as a child process on a free loopback port, its log in a file; stopped when released.
    final class Serve: @unchecked Sendable {
        let port: Int
        let process: Process
        let logPath: String
        var baseURL: String { "http://127.0.0.1:\(port)" }

        /// Starts the server and waits (at most 15 s) until `/healthz` answers 200.
        init(_ symbolPath: String, _ arguments: [String] = [], in directory: TemporaryDirectory) throws {
            logPath = try directory.file("serve-\(UUID().uuidString.prefix(8)).log")
            var failure = ""
            for _ in 0..<3 {  // a port free a moment ago may be taken since
                let port = try LoopbackPort.free()
                FileManager.default.createFile(atPath: logPath, contents: nil)
                let process = Process()
                process.executableURL = URL(fileURLWithPath: Executables.symfs)
                process.arguments = ["serve", "-y", symbolPath, "--listen", "127.0.0.1:\(port)"] + arguments
                let log = FileHandle(forWritingAtPath: logPath)
                process.standardOutput = log
                process.standardError = log
                process.standardInput = FileHandle.nullDevice
                try process.run()
                if ServeCommandTests.waitForHealth(port, while: { process.isRunning }) {
                    self.port = port
                    self.process = process
                    return
                }
                stopChild(process)
                failure = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            }
            throw CommandError(command: "symfs serve -y \(symbolPath)", status: 1, output: failure)
        }

        deinit { stopChild(process) }

        func log() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

        func signal(_ signal: Int32) {
            if process.isRunning { kill(process.processIdentifier, signal) }
        }

        /// The exit status (128 + the signal when one ended it) once the process has exited, waiting at most
        /// `seconds`; nil when it is still running.
        func waitForExit(seconds: Double) -> Int32? {
            let deadline = Date() + seconds
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning { return nil }
            return process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
        }

        /// SIGTERM and up to `seconds` to exit; killed when it has not. Stopping a stopped server does nothing.
        @discardableResult
        func stop(within seconds: Double = 5) -> (status: Int32?, seconds: Double) {
            let started = Date()
            signal(SIGTERM)
            let status = waitForExit(seconds: seconds)
            if status == nil { stopChild(process) }
            return (status, Date().timeIntervalSince(started))
        }
    }

    /// Runs `body` with a `symfs serve` of `symbolPath`, then stops it with SIGTERM and expects it to exit 0 within
    /// 5 s. It is stopped however `body` ends.
    func serving<Value>(
        _ symbolPath: String, _ arguments: [String] = [], in directory: TemporaryDirectory,
        _ body: (Serve) throws -> Value
    ) throws -> Value {
        let serve = try Serve(symbolPath, arguments, in: directory)
        defer { serve.stop() }
        let result = try body(serve)
        let stopped = serve.stop()
        #expect(stopped.status == 0, "symfs serve after SIGTERM: \(stopped); \(serve.log().suffix(1500))")
        return result
    }

    /// nginx with `proxy_cache` and `proxy_cache_lock` in front of `backends`, as the README sets it up; run in the
    /// foreground as a child process with its own prefix, config, pid file and cache; stopped when released.
    final class FrontCache: @unchecked Sendable {
        let port: Int
        let process: Process
        let directory: TemporaryDirectory
        var baseURL: String { "http://127.0.0.1:\(port)" }

        init(backends: [Int]) throws {
            directory = try TemporaryDirectory("symfs-front-cache")
            let prefix = directory.path
            port = try LoopbackPort.free()
            let config = """
                daemon off;
                worker_processes 1;
                user root;
                pid \(prefix)/nginx.pid;
                error_log \(prefix)/error.log;
                events { worker_connections 256; }
                http {
                    access_log \(prefix)/access.log;
                    client_body_temp_path \(prefix)/client-body;
                    proxy_temp_path \(prefix)/proxy;
                    fastcgi_temp_path \(prefix)/fastcgi;
                    uwsgi_temp_path \(prefix)/uwsgi;
                    scgi_temp_path \(prefix)/scgi;
                    proxy_cache_path \(prefix)/cache levels=1:2 keys_zone=symbols:10m max_size=1g inactive=30d use_temp_path=off;
                    upstream symfs {
                        \(backends.map { "server 127.0.0.1:\($0);" }.joined(separator: "\n            "))
                        keepalive 16;
                    }
                    server {
                        listen 127.0.0.1:\(port);
                        location / {
                            proxy_pass http://symfs;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_cache symbols;
                            proxy_cache_lock on;
                            add_header X-Cache-Status $upstream_cache_status always;
                        }
                    }
                }
                """
            try config.write(toFile: prefix + "/nginx.conf", atomically: true, encoding: .utf8)
            process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
            process.arguments = ["-e", prefix + "/error.log", "-p", prefix, "-c", prefix + "/nginx.conf"]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            do {
                try LoopbackPort.waitUntilAccepting(port, timeout: 10) { [process] in process.isRunning }
            } catch {
                stopChild(process)
                let log = (try? String(contentsOfFile: prefix + "/error.log", encoding: .utf8)) ?? ""
                throw CommandError(command: "nginx (proxy_cache)", status: 1, output: log)
            }
        }

        deinit { stopChild(process) }

        func stop() { stopChild(process) }
    }

    /// What a client got: the status, the last head's fields (names lower-cased), the body, and how curl exited.
    struct Reply: Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data
        var curlStatus: Int32 = 0
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    final class Replies: @unchecked Sendable {
        private let lock = NSLock()
        private var replies: [Reply] = []
        func add(_ reply: Reply?) { lock.withLock { if let reply { replies.append(reply) } } }
        var all: [Reply] { lock.withLock { replies } }
    }

    /// `curl` (the path sent as it is, at most 120 s) with `options`.
    static func fetch(_ url: String, _ options: [String] = []) throws -> Reply {
        let scratch = try TemporaryDirectory("symfs-serve-curl")
        let (head, body) = (scratch.path + "/head", scratch.path + "/body")
        let result = try run("curl", ["-sS", "--path-as-is", "--max-time", "120", "-o", body, "-D", head,
                                      "-w", "%{http_code}"] + options + [url])
        let heads = ((try? String(contentsOfFile: head, encoding: .utf8)) ?? "").components(separatedBy: "\r\n\r\n")
        let last = heads.last { $0.hasPrefix("HTTP/") } ?? ""
        return Reply(status: Int(result.standardOutput) ?? 0, headers: fields(last.components(separatedBy: "\r\n").dropFirst()),
                     body: FileManager.default.contents(atPath: body) ?? Data(), curlStatus: result.status)
    }

    /// `request-line` sent on a connection of its own with `Host` and `Connection: close`.
    static func raw(_ port: Int, _ requestLine: String) -> Reply {
        raw(port, bytes: Array("\(requestLine)\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8))
    }

    /// `bytes` sent as they are to 127.0.0.1:`port`, the answer read until the server closes (at most 10 s); status
    /// 0 when nothing came.
    static func raw(_ port: Int, bytes: [UInt8]) -> Reply {
        let none = Reply(status: 0, headers: [:], body: Data())
        guard let connection = LoopbackConnection(port: port) else { return none }
        defer { connection.close() }
        guard connection.send(bytes) else { return none }
        let received = Array(connection.readUntilClosed(seconds: 10))
        let separator = Array("\r\n\r\n".utf8)
        guard let end = (0..<max(0, received.count - 3)).first(where: { Array(received[$0..<$0 + 4]) == separator }) else {
            return none
        }
        let lines = String(decoding: received[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let status = lines.first.flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Int($0) } ?? 0
        return Reply(status: status, headers: fields(lines.dropFirst()), body: Data(received[(end + 4)...]))
    }

    static func fields(_ lines: ArraySlice<String>) -> [String: String] {
        var fields: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return fields
    }

    static func waitForHealth(_ port: Int, seconds: Double = 15, while alive: () -> Bool) -> Bool {
        let deadline = Date() + seconds
        while Date() < deadline && alive() {
            if raw(port, "GET /healthz HTTP/1.1").status == 200 { return true }
            usleep(50_000)
        }
        return false
    }

    /// `clients` curl processes started at once, each piping the file into sha256sum (at most 300 s each): the
    /// digest, curl's exit status and what it printed, per client.
    static func concurrentDigests(_ url: String, clients: Int, in directory: String) throws
        -> [(digest: String, curlStatus: Int32, error: String)]
    {
        let output = directory + "/clients"
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        let script = """
            for i in $(seq 1 "$3"); do
                ( curl -sS --max-time 300 "$2" 2>"$1/$i.err" | sha256sum | cut -d' ' -f1 >"$1/$i.sha"
                  echo "${PIPESTATUS[0]}" >"$1/$i.rc" ) &
            done
            wait
            """
        try runChecked("bash", ["-c", script, "bash", output, url, String(clients)])
        return (1...clients).map { index in
            func read(_ suffix: String) -> String {
                ((try? String(contentsOfFile: "\(output)/\(index).\(suffix)", encoding: .utf8)) ?? "")
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
            return (read("sha"), Int32(read("rc")) ?? -1, read("err"))
        }
    }
}

// MARK: - Files

extension ServeCommandTests {
    /// A file and where a store files it.
    struct Fixture: Sendable {
        var path: String
        var name: String
        var key: String
        var storePath: String { "\(name)/\(key)/\(name)" }
        var compressedName: String { String(name.dropLast()) + "_" }
        var bytes: Data { FileManager.default.contents(atPath: path) ?? Data() }
        var size: Int { ServeCommandTests.size(path) }
    }

    /// `path` with the key `symfs key` gives it.
    static func fixture(_ path: String) throws -> Fixture {
        let line = try runChecked(Executables.symfs, ["key", path]).standardOutput
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = line.split(separator: "/").map(String.init)
        let name = (path as NSString).lastPathComponent
        try #require(parts.count == 3 && parts[0] == name && parts[2] == name, "symfs key \(path): \(line)")
        return Fixture(path: path, name: name, key: parts[1])
    }

    /// A store written by `symfs add`: `plain` as they are, `compressed` as a CAB.
    static func addStore(at store: String) throws -> [Fixture] {
        let paths = plain.map { binaries + "/" + $0 }
        try runChecked(Executables.symfs, ["add", "-s", store, "--quiet"] + paths)
        try runChecked(Executables.symfs, ["add", "-s", store, "--quiet", "--compress", binaries + "/" + compressed])
        return try (paths + [binaries + "/" + compressed]).map(fixture)
    }

    /// dummyprog.exe grown to `mebibytes` MiB with random bytes, as `large.exe`: a real PE whose key is unchanged.
    static func paddedImage(in directory: String, mebibytes: Int) throws -> Fixture {
        let source = binaries + "/dummyprog.exe"
        let path = directory + "/large/large.exe"
        try FileManager.default.createDirectory(atPath: directory + "/large", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: source, toPath: path)
        try runChecked("sh", ["-c", "head -c \"$1\" /dev/urandom >>\"$2\"", "sh", String((mebibytes << 20) - size(source)), path])
        let (file, original) = (try fixture(path), try fixture(source))
        try #require(file.key == original.key && file.size == mebibytes << 20)
        return file
    }

    static func size(_ path: String) -> Int {
        var status = stat()
        return stat(path, &status) == 0 ? Int(status.st_size) : 0
    }

    static func sha256(_ path: String) throws -> String {
        String(try runChecked("sha256sum", [path]).standardOutput.prefix(64))
    }

    /// Where `cache` holds `file` (its name and key in any case), waiting at most 10 s for it to appear.
    static func waitForCached(_ cache: String, _ file: Fixture) -> String? {
        let deadline = Date() + 10
        repeat {
            if let relative = ReadBack.files(under: cache).first(where: { $0.lowercased() == file.storePath.lowercased() }) {
                return cache + "/" + relative
            }
            usleep(20_000)
        } while Date() < deadline
        return nil
    }

    /// Whether `cache` holds no file (a temporary one included), allowing 2 s for a failed download to be cleared.
    static func settledEmpty(_ cache: String) -> Bool {
        let deadline = Date() + 2
        while !ReadBack.files(under: cache).isEmpty && Date() < deadline { usleep(20_000) }
        return ReadBack.files(under: cache).isEmpty
    }
}
