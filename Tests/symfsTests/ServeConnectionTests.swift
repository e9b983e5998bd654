import Foundation
import Testing
import TestSupport

/// What `symfs serve` does with connections: the limit answered 503 past it, a client that stops reading closed
/// after the idle timeout while a slow one that keeps reading gets every byte, local misses remembered for the miss
/// timeout, and file bytes sent with `sendfile(2)` (seen with strace).
@Suite(.serialized)
struct ServeConnectionTests {
    typealias Serve = ServeCommandTests

    @Test("Past --max-connections a connection gets a 503 and is closed; once one closes, the next is served")
    func connectionLimit() throws {
        let directory = try TemporaryDirectory("symfs-serve-limit")
        let store = directory.path + "/store"
        let files = try Serve.addStore(at: store)
        try Serve().serving("srv*\(store)", ["--max-connections", "2"], in: directory) { serve in
            // The server's own health probe has closed by now; two idle connections fill the limit.
            let held = try (0..<2).map { _ in try #require(LoopbackConnection(port: serve.port)) }
            usleep(200_000)
            let refused = Serve.raw(serve.port, "GET /\(files[0].storePath) HTTP/1.1")
            #expect(refused.status == 503 && refused.text == "too many connections", "\(refused.status): \(refused.text)")
            #expect(refused.headers["retry-after"] == "1" && refused.headers["connection"] == "close")
            held.forEach { $0.close() }
            let deadline = Date() + 5
            var served = Serve.raw(serve.port, "GET /\(files[0].storePath) HTTP/1.1")
            while served.status == 503 && Date() < deadline {
                usleep(50_000)
                served = Serve.raw(serve.port, "GET /\(files[0].storePath) HTTP/1.1")
            }
            #expect(served.status == 200 && served.body == files[0].bytes, "\(served.status)")
        }
    }

    @Test("A client that stops reading is closed after the idle timeout; one reading slowly for longer gets every byte")
    func stalledAndSlowReaders() throws {
        let directory = try TemporaryDirectory("symfs-serve-stall")
        let large = try Serve.paddedImage(in: directory.path, mebibytes: 16)
        let store = directory.path + "/store"
        try StoreWriter.place(large.path, at: store, large.storePath)
        try Serve().serving("srv*\(store)", ["--idle-timeout", "3"], in: directory) { serve in
            let stalled = try #require(LoopbackConnection(port: serve.port, receiveBuffer: 4096))
            defer { stalled.close() }
            #expect(stalled.send("GET /\(large.storePath) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
            sleep(6)
            let (received, ended) = stalled.drain(seconds: 10)
            #expect(ended, "the connection is still open 6 s after its last read, with an idle timeout of 3 s")
            #expect(received < large.size, "\(received) bytes: the whole file fitted in the socket buffers")

            // 16 MiB read 16 KiB at a time every 10 ms through a 64 KiB receive buffer: about 10 s of steady
            // reading, longer than the idle timeout, never idle.
            let slow = try #require(LoopbackConnection(port: serve.port, receiveBuffer: 65536))
            defer { slow.close() }
            #expect(slow.send("GET /\(large.storePath) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
            let started = Date()
            let answer = slow.readSlowly(chunk: 16384, pause: 0.01, seconds: 90)
            let seconds = Date().timeIntervalSince(started)
            let separator = answer.range(of: Data("\r\n\r\n".utf8))
            let body = separator.map { answer[$0.upperBound...] } ?? Data()
            #expect(answer.starts(with: Data("HTTP/1.1 200".utf8)) && body == large.bytes, "\(body.count) of \(large.size) bytes in \(seconds) s")
            #expect(seconds > 4, "\(seconds) s: the reading was not slow, so this proves nothing")
        }
    }

    @Test("A miss of the whole path, local stores included, is remembered for --miss-timeout")
    func localMissesRemembered() throws {
        let directory = try TemporaryDirectory("symfs-serve-miss")
        let store = directory.path + "/store"
        let files = try Serve.addStore(at: store)
        let file = files[0]
        let hidden = directory.path + "/hidden"
        try FileManager.default.moveItem(atPath: "\(store)/\(file.name)", toPath: hidden)
        try Serve().serving("srv*\(store)", ["--miss-timeout", "3"], in: directory) { serve in
            let url = serve.baseURL + "/" + file.storePath
            #expect(try Serve.fetch(url).status == 404)
            try FileManager.default.moveItem(atPath: hidden, toPath: "\(store)/\(file.name)")
            #expect(try Serve.fetch(url).status == 404, "a miss asked again within 3 s")
            // Asked in another case: remembered misses are per spelling (a case-sensitive server may hold one
            // spelling and not another), so it is looked up, and found.
            let upper = "/\(file.name.uppercased())/\(file.key.lowercased())/\(file.name.uppercased())"
            #expect(try Serve.fetch(serve.baseURL + upper).status == 200)
            let deadline = Date() + 10
            var reply = try Serve.fetch(url)
            while reply.status == 404 && Date() < deadline {
                usleep(250_000)
                reply = try Serve.fetch(url)
            }
            #expect(reply.status == 200 && reply.body == file.bytes, "\(reply.status) after the miss timeout")
        }
    }

    @Test("A cached file goes out with sendfile: its bytes never pass through a read into the server",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/strace"), "needs strace"),
          .enabled(if: ProcessInfo.processInfo.environment["SYMFS_SANITIZER"] == nil,
                   "LeakSanitizer refuses to run in a traced process, and fails its exit"))
    func sendfile() throws {
        let directory = try TemporaryDirectory("symfs-serve-sendfile")
        let large = try Serve.paddedImage(in: directory.path, mebibytes: 8)
        let store = directory.path + "/store"
        try StoreWriter.place(large.path, at: store, large.storePath)
        let serve = try ServeCommandTests.Serve("srv*\(store)", [], in: directory)
        defer { serve.stop() }
        let trace = directory.path + "/strace.txt"
        let strace = Process()
        strace.executableURL = URL(fileURLWithPath: "/usr/bin/strace")
        strace.arguments = ["-f", "-qq", "-e", "trace=sendfile,read,pread64,readv,preadv", "-o", trace,
                            "-p", String(serve.process.processIdentifier)]
        strace.standardOutput = FileHandle.nullDevice
        strace.standardError = FileHandle.nullDevice
        try strace.run()
        defer { stopChild(strace) }
        usleep(1_000_000)  // strace attaches to every thread
        let reply = try Serve.fetch(serve.baseURL + "/" + large.storePath)
        #expect(reply.status == 200 && reply.body == large.bytes, "\(reply.status)")
        // strace runs with the signals the test runner blocks; it ends when the server does.
        #expect(serve.stop().status == 0)
        let deadline = Date() + 10
        while strace.isRunning && Date() < deadline { usleep(20_000) }
        let lines = ((try? String(contentsOfFile: trace, encoding: .utf8)) ?? "").split(separator: "\n")
        func returned(_ call: String) -> Int {
            lines.filter { $0.contains(" \(call)(") }.compactMap { line in
                line.split(separator: "=").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces).split(separator: " ")[0]) }
            }.filter { $0 > 0 }.reduce(0, +)
        }
        let sent = returned("sendfile")
        let read = ["read", "pread64", "readv", "preadv"].map(returned).reduce(0, +)
        #expect(sent >= large.size, "\(sent) bytes sent with sendfile for a file of \(large.size)")
        #expect(read < large.size / 8, "\(read) bytes read into the server for a file of \(large.size)")
    }
}
