import Foundation

/// Loopback TCP helpers for the test servers.
public enum LoopbackPort {
    /// A port that was free a moment ago (bound to 127.0.0.1:0 and released).
    public static func free() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw CommandError(command: "socket", status: errno, output: "") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw CommandError(command: "bind", status: errno, output: "") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts connections on 127.0.0.1:`port`.
    public static func accepts(_ port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// Starts a server on a free port, up to three times (another process may take the port between its choice
    /// and the server's bind), and waits up to 10 s for each to accept connections; one that does not is stopped
    /// with `stop`. Throws the last failure, with `log()` (what the server said) in it.
    public static func startServer(
        _ command: String, log: () -> String, stop: (Process) -> Void = stopChild,
        _ start: (_ port: Int) throws -> Process
    ) throws -> (port: Int, process: Process) {
        var lastError: Error?
        for _ in 0..<3 {
            let port = try free()
            let process = try start(port)
            do {
                try waitUntilAccepting(port, timeout: 10) { process.isRunning }
                return (port, process)
            } catch {
                lastError = error
                stop(process)
            }
        }
        throw CommandError(command: command, status: 1, output: "\(lastError.map { "\($0)" } ?? ""): \(log())")
    }

    /// Waits (at most `timeout` seconds, polling every 20 ms) until `port` accepts connections.
    public static func waitUntilAccepting(_ port: Int, timeout: Double = 10, while alive: () -> Bool = { true })
        throws
    {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if accepts(port) { return }
            guard alive() else { break }
            usleep(20_000)
        }
        throw CommandError(command: "waiting for 127.0.0.1:\(port)", status: 1, output: "no server answered")
    }
}

/// Stops a server started by a test: SIGTERM, up to 5 s to exit, then SIGKILL, then reaps it. Bounded, so a
/// child that blocks SIGTERM (the mask threads of the test process pass on) cannot hang a test.
public func stopChild(_ process: Process) {
    guard process.isRunning else { return }
    let pid = process.processIdentifier
    kill(pid, SIGTERM)
    let deadline = Date().addingTimeInterval(5)
    while process.isRunning && Date() < deadline { usleep(10_000) }
    if process.isRunning { kill(pid, SIGKILL) }
    let hardDeadline = Date().addingTimeInterval(5)
    while process.isRunning && Date() < hardDeadline { usleep(10_000) }
}
