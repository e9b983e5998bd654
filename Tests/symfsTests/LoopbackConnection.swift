import Foundation

/// A TCP connection to 127.0.0.1 that the test reads (or does not read) itself.
final class LoopbackConnection {
    let descriptor: Int32

    init?(port: Int, receiveBuffer: Int32? = nil) {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        if var size = receiveBuffer {
            setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            Foundation.close(descriptor)
            return nil
        }
    }

    func send(_ text: String) -> Bool {
        send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { Foundation.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// Reads what there is until the server ends the connection or `seconds` pass: the bytes read, and whether
    /// it ended.
    func drain(seconds: Double) -> (bytes: Int, ended: Bool) {
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 65536)
        var total = 0
        let deadline = Date() + seconds
        while Date() < deadline {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count > 0 {
                total += count
            } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                return (total, true)
            }
        }
        return (total, false)
    }

    /// Everything until the server closes, waiting at most `seconds`.
    func readUntilClosed(seconds: Double) -> Data {
        readSlowly(chunk: 65536, pause: 0, seconds: seconds)
    }

    /// Reads `chunk` bytes at most every `pause` seconds until the server ends the connection or `seconds` pass.
    func readSlowly(chunk: Int, pause: Double, seconds: Double) -> Data {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: chunk)
        var received = Data()
        let deadline = Date() + seconds
        while Date() < deadline {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count > 0 {
                received.append(contentsOf: buffer[..<count])
            } else if count == 0 || errno != EINTR {
                break
            }
            if pause > 0 { usleep(UInt32(pause * 1_000_000)) }
        }
        return received
    }

    func close() {
        shutdown(descriptor, Int32(SHUT_RDWR))
    }

    deinit { Foundation.close(descriptor) }
}
