import SystemSupport
import SymbolHTTP

/// Keeps the head and up to `limit` bytes of a probe's body, then stops the transfer (a 200 from a server that
/// ignores ranges is cut once more arrives). Bodies of other statuses (404 pages) are read and dropped, up to 64 KiB, so the
/// connection stays usable.
final class ProbeSink: HTTPBodySink {
    private struct State {
        var head: HTTPResponseHead?
        var bytes: [UInt8] = []
        var dropped = 0
    }

    private let limit: Int
    private let state = Locked(State())

    init(limit: Int) {
        self.limit = limit
    }

    var bytes: [UInt8] { state.withLock { $0.bytes } }

    func head(_ head: HTTPResponseHead) -> Bool {
        state.withLock { $0.head = head }
        return true
    }

    func body(_ bytes: UnsafeRawBufferPointer) -> Bool {
        state.withLock { state in
            guard state.head?.isSuccess == true else {
                state.dropped += bytes.count
                return state.dropped < 64 * 1024
            }
            // Stop only when bytes beyond the limit arrive (a 200 sending the whole file): a 206 of exactly
            // `limit` bytes then ends by itself and its connection stays open for the next request.
            guard state.bytes.count < limit else { return false }
            state.bytes.append(contentsOf: bytes.prefix(limit - state.bytes.count))
            return true
        }
    }
}
