import Foundation

/// A TCP port on 127.0.0.1 that never completes a connection: it listens with a backlog of none and its queue is
/// filled by connections of its own that it never accepts, so the kernel drops further SYNs and a client's
/// connect hangs until its own timeout, as with a server behind a firewall that drops packets.
public final class UnacceptingListener: @unchecked Sendable {
    public let port: UInt16
    private let listener: Int32
    private let fillers: [Int32]

    public init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) }
        }
        guard bound == 0, listen(listener, 0) == 0 else {
            close(listener)
            throw CommandError(command: "listen", status: errno, output: String(cString: strerror(errno)))
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        port = UInt16(bigEndian: address.sin_port)
        fillers = (0..<4).map { _ in
            let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(filler, $0, length) }
            }
            return filler
        }
        usleep(100_000)
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    deinit {
        fillers.forEach { close($0) }
        close(listener)
    }
}
