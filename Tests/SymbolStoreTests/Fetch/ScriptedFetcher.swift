import Foundation
@testable import SymbolStore

/// A server stand-in for downloads: serves `content`, records the ranges asked for, and misbehaves as told.
final class ScriptedFetcher: RemoteFetching, @unchecked Sendable {
    let content: [UInt8]
    /// Bytes per delivery, and a pause before each.
    var piece = 64 * 1024
    var pause: useconds_t = 0
    /// The pause for urgent ranges, when it differs (a slow background download, a fast answer to a reader).
    var urgentPause: useconds_t?
    /// A pause this long or longer ends the transfer with ETIMEDOUT after this long, as libcurl's low-speed
    /// limit does; nil waits out every pause.
    var stallLimit: useconds_t?
    /// Fail the first N transfers after half their bytes (a connection reset mid-body).
    var resets = 0
    /// End every body after this many bytes without an error (a truncated body, a lying Content-Length).
    var truncateAfter: Int?
    private let lock = NSLock()
    private(set) var requests: [Range<UInt64>?] = []
    /// The ranges asked for as urgent (a reader waiting for them).
    private(set) var urgentRanges: [Range<UInt64>] = []
    private(set) var bytesSent = 0

    init(_ content: [UInt8]) {
        self.content = content
    }

    func fetch(_ file: RemoteFile, range: Range<UInt64>?, urgent: Bool, receive: (UnsafeRawBufferPointer) -> Bool)
        throws(SymbolStoreError) {
        let reset = lock.withLock { () -> Bool in
            requests.append(range)
            if urgent, let range { urgentRanges.append(range) }
            if resets > 0 { resets -= 1; return true }
            return false
        }
        let span = range.map { Int($0.lowerBound)..<Int($0.upperBound) } ?? 0..<content.count
        var end = span.upperBound
        if reset { end = span.lowerBound + span.count / 2 }
        if let truncateAfter { end = min(end, span.lowerBound + truncateAfter) }
        let pause = urgent ? urgentPause ?? self.pause : self.pause
        var position = span.lowerBound
        while position < end {
            if let stallLimit, pause >= stallLimit {
                usleep(stallLimit)
                throw SymbolStoreError(.upstreamUnavailable(.timeout), "no data for \(stallLimit) µs")
            }
            if pause > 0 { usleep(pause) }
            let next = min(position + piece, end)
            let more = content[position..<next].withUnsafeBytes { receive($0) }
            lock.withLock { bytesSent += next - position }
            position = next
            if !more { return }
        }
        if reset { throw SymbolStoreError(.upstreamUnavailable(.transport), "connection reset") }
    }
}
