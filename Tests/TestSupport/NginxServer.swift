import Foundation

/// Debian's nginx serving a directory on 127.0.0.1 (a real static HTTP symbol server, like IIS serving a store,
/// spec §3.2 "IIS store"). Everything it writes (config, pid, logs, temp paths) lives in its own temporary
/// directory; it is stopped when the value is released.
///
///     let server = try NginxServer(root: store)
///     fetch(server.baseURL + "/alpha.pdb/…/alpha.pdb")
///     server.accessLog()   // what nginx saw, in order
public final class NginxServer: @unchecked Sendable {
    /// One line of the access log.
    public struct AccessLogLine: Sendable, Hashable {
        /// nginx's connection serial number (`$connection`): equal numbers were one TCP connection.
        public var connection: Int
        public var method: String
        /// The path as requested (with its query).
        public var path: String
        public var status: Int
        /// `$body_bytes_sent`.
        public var bytes: Int
        /// The `Range` header sent; nil when none.
        public var range: String?
        /// `HTTP/1.1` or `HTTP/2.0`.
        public var protocolVersion: String
    }

    public let root: String
    public let port: Int
    public let certificate: SelfSignedCertificate?
    /// `http://127.0.0.1:PORT` (`https://` with a certificate), without a trailing slash.
    public var baseURL: String { "\(certificate == nil ? "http" : "https")://127.0.0.1:\(port)" }
    private let directory: TemporaryDirectory
    private let process: Process
    private var logPath: String { directory.path + "/access.log" }

    /// Starts nginx on a free port serving `root` (autoindex off), and waits up to 10 s until it answers. With a
    /// certificate it speaks HTTPS only, offering HTTP/2 by ALPN.
    public init(root: String, certificate: SelfSignedCertificate? = nil, extraServerDirectives: String = "") throws {
        self.root = root
        self.certificate = certificate
        directory = try TemporaryDirectory("symfs-nginx")
        let directory = self.directory
        (port, process) = try LoopbackPort.startServer(
            "nginx", log: { (try? String(contentsOfFile: directory.path + "/error.log", encoding: .utf8)) ?? "" }
        ) { port in
            let config = directory.path + "/nginx.conf"
            try Self.configuration(
                root: root, port: port, directory: directory.path, certificate: certificate,
                extra: extraServerDirectives)
                .write(toFile: config, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
            process.arguments = ["-e", directory.path + "/error.log", "-p", directory.path, "-c", config,
                                 "-g", "daemon off;"]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
    }

    deinit {
        stopChild(process)  // SIGTERM: nginx's fast shutdown
    }

    /// The requests nginx has logged so far, oldest first. nginx logs a request only after it has sent the
    /// answer, so a client may be done before the line is written: the log is read until it stays the same for
    /// 30 ms (at most 2 s).
    public func accessLog() -> [AccessLogLine] {
        var lines = readAccessLog()
        let deadline = Date().addingTimeInterval(2)
        while Date() < deadline {
            usleep(30_000)
            let again = readAccessLog()
            if again == lines { break }
            lines = again
        }
        return lines
    }

    private func readAccessLog() -> [AccessLogLine] {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 5, let connection = Int(fields[0]), let status = Int(fields[2]),
                  let bytes = Int(fields[3]) else { return nil }
            let request = fields[1].split(separator: " ").map(String.init)
            guard request.count >= 2 else { return nil }
            return AccessLogLine(
                connection: connection, method: request[0], path: request[1], status: status, bytes: bytes,
                range: fields[4] == "-" ? nil : fields[4], protocolVersion: request.count > 2 ? request[2] : "")
        }
    }

    static func configuration(
        root: String, port: Int, directory: String, certificate: SelfSignedCertificate?, extra: String
    ) -> String {
        let listen = certificate.map {
            "listen 127.0.0.1:\(port) ssl http2;\n        ssl_certificate \($0.certificatePath);\n"
                + "        ssl_certificate_key \($0.keyPath);"
        } ?? "listen 127.0.0.1:\(port);"
        return """
        worker_processes 1;
        user root;
        pid \(directory)/nginx.pid;
        error_log \(directory)/error.log;
        events { worker_connections 256; }
        http {
            log_format symfs "$connection\\t$request\\t$status\\t$body_bytes_sent\\t$http_range";
            access_log \(directory)/access.log symfs;
            client_body_temp_path \(directory)/client-body;
            proxy_temp_path \(directory)/proxy;
            fastcgi_temp_path \(directory)/fastcgi;
            uwsgi_temp_path \(directory)/uwsgi;
            scgi_temp_path \(directory)/scgi;
            default_type application/octet-stream;
            keepalive_requests 10000;
            server {
                \(listen)
                root \(root);
                autoindex off;
                \(extra)
            }
        }
        """
    }
}
