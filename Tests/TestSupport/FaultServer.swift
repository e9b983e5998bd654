import Foundation

/// A small fault-injecting HTTP/1.1 server on 127.0.0.1 (Debian's python3 running `FaultServer.script`), for
/// what a static server cannot do: 5xx a number of times then succeed, reset or truncate a body, lie about
/// Content-Length, send slowly or stall, redirect (also in a loop), answer 200 with HTML or with other bytes.
/// It serves the files below `root` (honouring `Range: bytes=a-b`), applies the behaviour set for a path, and
/// records every request. The behaviour set for `FaultServer.everyPath` applies to paths without their own.
/// It stops when the value is released, or when the test process exits.
///
///     let server = try FaultServer(root: store)
///     server.set("/a.pdb/KEY/a.pdb", .init(failStatus: 503, failTimes: 2))
///     … fetch server.baseURL + "/a.pdb/KEY/a.pdb" …
///     server.requests().map(\.path)
public final class FaultServer: @unchecked Sendable {
    /// What the server does for one path. Unset fields mean "as a static server would".
    public struct Behavior: Sendable, Codable, Hashable {
        /// Answer this status (with a short text body) for the first `failTimes` requests, then serve normally;
        /// `failTimes` -1 means always.
        public var failStatus: Int?
        public var failTimes: Int?
        /// Close the connection with a TCP reset before answering, for the first `resetTimes` requests.
        public var resetTimes: Int?
        /// Send the head and this many body bytes, then reset the connection.
        public var resetAfterBytes: Int?
        /// Send the head (with the true length) and this many body bytes, then close the connection cleanly.
        public var truncateAfterBytes: Int?
        /// Declare this Content-Length whatever the body is (the body is cut to it when longer).
        public var contentLength: Int?
        /// Send the body at about this rate (after its first `fastBytes`, sent at once).
        public var bytesPerSecond: Int?
        public var fastBytes: Int?
        /// Send the head and this many body bytes, then nothing for `stallSeconds` (default 120), then reset.
        public var stallAfterBytes: Int?
        /// Wait this long after the head before the body.
        public var stallSeconds: Double?
        /// Answer `redirectStatus` (default 302) with `Location: redirect`.
        public var redirect: String?
        public var redirectStatus: Int?
        /// Serve these bytes instead of the file (status 200), e.g. an HTML page or another file's content.
        public var body: Data?
        public var contentType: String?
        /// Ignore Range headers (always 200 with the whole body).
        public var ignoreRanges: Bool?
        /// More response headers.
        public var headers: [String: String]?
        /// Wait this long before answering at all (whatever the answer, a 404 included).
        public var answerDelaySeconds: Double?

        public init(
            failStatus: Int? = nil, failTimes: Int? = nil, resetTimes: Int? = nil, resetAfterBytes: Int? = nil,
            truncateAfterBytes: Int? = nil, contentLength: Int? = nil, bytesPerSecond: Int? = nil,
            fastBytes: Int? = nil, stallAfterBytes: Int? = nil,
            stallSeconds: Double? = nil, redirect: String? = nil, redirectStatus: Int? = nil, body: Data? = nil,
            contentType: String? = nil, ignoreRanges: Bool? = nil, headers: [String: String]? = nil,
            answerDelaySeconds: Double? = nil
        ) {
            self.failStatus = failStatus
            self.failTimes = failTimes
            self.resetTimes = resetTimes
            self.resetAfterBytes = resetAfterBytes
            self.truncateAfterBytes = truncateAfterBytes
            self.contentLength = contentLength
            self.bytesPerSecond = bytesPerSecond
            self.fastBytes = fastBytes
            self.stallAfterBytes = stallAfterBytes
            self.stallSeconds = stallSeconds
            self.redirect = redirect
            self.redirectStatus = redirectStatus
            self.body = body
            self.contentType = contentType
            self.ignoreRanges = ignoreRanges
            self.headers = headers
            self.answerDelaySeconds = answerDelaySeconds
        }

        /// `200 text/html` with a login-page-like body (spec §3.2 "200 + HTML", §7 #8).
        public static let htmlPage = Behavior(
            body: Data("<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Sign in</body></html>\n".utf8),
            contentType: "text/html; charset=utf-8")

        /// Always answer `status`.
        public static func status(_ status: Int) -> Behavior { Behavior(failStatus: status, failTimes: -1) }
    }

    /// One request the server received.
    public struct Request: Sendable, Codable, Hashable {
        public var method: String
        /// As sent, with its query.
        public var path: String
        public var range: String?
        /// Header names lower-cased.
        public var headers: [String: String]
        /// The server's number for the TCP connection the request came on.
        public var connection: Int
    }

    /// The path whose behaviour applies to every path that has none of its own.
    public static let everyPath = "*"

    public let root: String
    public let port: Int
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    private let directory: TemporaryDirectory
    private let process: Process
    private let lock = NSLock()
    private var behaviors: [String: Behavior] = [:]
    private var generation = 0

    /// Starts the server on a free port and waits up to 10 s until it accepts connections. A case-insensitive
    /// server finds a path in any case, as Microsoft's and IIS do.
    public init(root: String, caseInsensitive: Bool = false) throws {
        self.root = root
        directory = try TemporaryDirectory("symfs-fault-server")
        let portFile = directory.path + "/port"
        try Self.writeRules([:], generation: 0, in: directory.path)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", Self.script, root, directory.path, String(getpid()), caseInsensitive ? "1" : "0"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        if let errorLog = try? directory.file("server.err"),
           FileManager.default.createFile(atPath: errorLog, contents: nil),
           let handle = FileHandle(forWritingAtPath: errorLog) {
            process.standardError = handle
        }
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(10)
        var port: Int?
        while Date() < deadline && process.isRunning {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let value = Int(text) {
                port = value
                break
            }
            usleep(20_000)
        }
        guard let port else {
            if process.isRunning { process.terminate() }
            let log = (try? String(contentsOfFile: directory.path + "/server.err", encoding: .utf8)) ?? ""
            throw CommandError(command: "python3 fault server", status: 1, output: log)
        }
        self.port = port
        try LoopbackPort.waitUntilAccepting(port, timeout: 10) { process.isRunning }
    }

    deinit {
        stopChild(process)
    }

    /// Sets (or with nil clears) the behaviour for `path` (as requested, without query). Counters of every path
    /// ("fail N times") restart from zero.
    public func set(_ path: String, _ behavior: Behavior?) {
        lock.lock()
        defer { lock.unlock() }
        behaviors[path] = behavior
        generation += 1
        try? Self.writeRules(behaviors, generation: generation, in: directory.path)
    }

    /// Every request received so far, oldest first.
    public func requests() -> [Request] {
        guard let text = try? String(contentsOfFile: directory.path + "/requests.jsonl", encoding: .utf8) else {
            return []
        }
        let decoder = JSONDecoder()
        return text.split(separator: "\n").compactMap { try? decoder.decode(Request.self, from: Data($0.utf8)) }
    }

    /// Forgets the requests recorded so far.
    public func clearRequests() {
        try? Data().write(to: URL(fileURLWithPath: directory.path + "/requests.jsonl"))
    }

    private static func writeRules(_ rules: [String: Behavior], generation: Int, in directory: String) throws {
        struct Rules: Codable {
            var generation: Int
            var paths: [String: Behavior]
        }
        let data = try JSONEncoder().encode(Rules(generation: generation, paths: rules))
        let temporary = directory + "/rules.json.tmp"
        try data.write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, directory + "/rules.json") == 0 else {
            throw CommandError(command: "rename rules", status: errno, output: "")
        }
    }

    /// The server (argv: root, state directory, parent pid, 1 when case-insensitive). Bounded: it exits when its
    /// parent is gone.
    static let script = #"""
import base64, itertools, json, os, signal, socket, struct, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

root, state, parent = sys.argv[1], sys.argv[2], int(sys.argv[3])
any_case = sys.argv[4] == "1"
# Threads of the test process block signals, and a spawned child inherits that mask.
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
lock = threading.Lock()
counters = {}
rules = {"generation": -1, "paths": {}}
connection_numbers = itertools.count(1)

def in_any_case(full):
    current = os.path.normpath(root)
    for part in os.path.relpath(full, current).split("/"):
        try:
            match = next((n for n in os.listdir(current) if n.lower() == part.lower()), None)
        except OSError:
            return full
        if match is None:
            return full
        current = os.path.join(current, match)
    return current

def current_rules():
    global rules, counters
    try:
        with open(os.path.join(state, "rules.json")) as f:
            loaded = json.load(f)
    except Exception:
        return rules
    with lock:
        if loaded.get("generation") != rules.get("generation"):
            rules = loaded
            counters = {}
    return rules

def count(path, what):
    with lock:
        key = (path, what)
        counters[key] = counters.get(key, 0) + 1
        return counters[key]

def record(entry):
    with lock:
        with open(os.path.join(state, "requests.jsonl"), "a") as f:
            f.write(json.dumps(entry) + "\n")

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        self.connection_number = next(connection_numbers)

    def log_message(self, *args):
        pass

    def finish(self):
        try:
            super().finish()
        except Exception:
            pass

    def reset(self):
        try:
            self.wfile.flush()
        except Exception:
            pass
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def send(self, status, body, content_type="application/octet-stream", extra=None, declared=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body) if declared is None else declared))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        return body

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        record({"method": "GET", "path": self.path, "range": self.headers.get("Range"),
                "headers": {k.lower(): v for k, v in self.headers.items()}, "connection": self.connection_number})
        paths = current_rules()["paths"]
        rule = paths.get(path, paths.get("*", {}))
        if rule.get("answerDelaySeconds"):
            time.sleep(rule["answerDelaySeconds"])
        if rule.get("resetTimes") is not None and count(path, "reset") <= rule["resetTimes"]:
            return self.reset()
        fail = rule.get("failStatus")
        if fail is not None:
            times = rule.get("failTimes", -1)
            if times < 0 or count(path, "fail") <= times:
                body = self.send(fail, b"failure %d\n" % fail, "text/plain", rule.get("headers"))
                self.wfile.write(body)
                return
        if rule.get("redirect") is not None:
            self.send_response(rule.get("redirectStatus") or 302)
            self.send_header("Location", rule["redirect"])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        extra = dict(rule.get("headers") or {})
        content_type = rule.get("contentType") or "application/octet-stream"
        if rule.get("body") is not None:
            data = base64.b64decode(rule["body"])
        else:
            full = os.path.normpath(os.path.join(root, path.lstrip("/")))
            if any_case and full.startswith(os.path.normpath(root) + "/"):
                full = in_any_case(full)
            if not full.startswith(os.path.normpath(root) + "/") or not os.path.isfile(full):
                self.wfile.write(self.send(404, b"not found\n", "text/plain"))
                return
            with open(full, "rb") as f:
                data = f.read()
            extra.setdefault("Last-Modified", self.date_time_string(int(os.path.getmtime(full))))
        status = 200
        wanted = self.headers.get("Range")
        if wanted and not rule.get("ignoreRanges") and wanted.startswith("bytes="):
            first, _, last = wanted[6:].partition("-")
            try:
                start = int(first)
                end = min(int(last) if last else len(data) - 1, len(data) - 1)
            except ValueError:
                start, end = 0, -1
            if start >= len(data) or end < start:
                self.wfile.write(self.send(416, b"", "text/plain", {"Content-Range": "bytes */%d" % len(data)}))
                return
            extra["Content-Range"] = "bytes %d-%d/%d" % (start, end, len(data))
            data = data[start:end + 1]
            status = 206
        extra.setdefault("Accept-Ranges", "bytes")
        declared = rule.get("contentLength")
        if declared is not None and declared < len(data):
            data = data[:declared]
        self.send(status, data, content_type, extra, declared)
        if rule.get("stallAfterBytes") is not None:
            self.wfile.write(data[:rule["stallAfterBytes"]])
            self.wfile.flush()
            time.sleep(rule.get("stallSeconds") or 120)
            return self.reset()
        if rule.get("stallSeconds"):
            self.wfile.flush()
            time.sleep(rule["stallSeconds"])
        if rule.get("resetAfterBytes") is not None:
            self.wfile.write(data[:rule["resetAfterBytes"]])
            return self.reset()
        if rule.get("truncateAfterBytes") is not None:
            self.wfile.write(data[:rule["truncateAfterBytes"]])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        rate = rule.get("bytesPerSecond")
        if rate:
            fast = min(len(data), rule.get("fastBytes") or 0)
            self.wfile.write(data[:fast])
            chunk = max(1, rate // 10)
            for offset in range(fast, len(data), chunk):
                self.wfile.write(data[offset:offset + chunk])
                self.wfile.flush()
                time.sleep(chunk / rate)
        else:
            self.wfile.write(data)
        if declared is not None and declared > len(data):
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True

class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # Tests open a few hundred connections at once.
    request_queue_size = 512
    def handle_error(self, request, client_address):
        pass

def watch_parent():
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(0)

server = Server(("127.0.0.1", 0), Handler)
threading.Thread(target=watch_parent, daemon=True).start()
with open(os.path.join(state, "port.tmp"), "w") as f:
    f.write(str(server.server_address[1]))
os.rename(os.path.join(state, "port.tmp"), os.path.join(state, "port"))
server.serve_forever()
"""#
}
