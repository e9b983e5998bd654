import Hummingbird
import NIOCore
import SymbolStore
#if canImport(Glibc)
import Glibc
#endif

/// A response body of an opened symbol file, `range` of it, sent with `sendfile` (`SendfileHandler`) a region at
/// a time: each region waits until no more than a MiB of others is still to go out, and for a file still arriving
/// from a server, on the blocking pool until its bytes are there. The descriptor belongs to the connection's
/// handler, which closes it once the last region has gone out, however the body ends (or if it never runs).
struct SymbolFileBody {
    /// Bytes a region: a client taking fewer than this per idle timeout counts as stalled.
    static let regionSize: UInt64 = 256 * 1024
    /// Bytes of regions queued on a connection beyond the one being reserved.
    static let queuedAhead: UInt64 = 1 << 20

    /// The file's id at the connection's `SendfileHandler`, which owns its descriptor.
    let id: UInt64
    let file: OpenedSymbolFile
    let range: Range<UInt64>
    let blocking: BlockingWork
    let channel: any Channel
    /// Told when the body begins, and the bytes sent when it ends.
    let end: ResponseEnd

    var body: ResponseBody {
        let id = id
        let file = file
        let range = range
        let blocking = blocking
        let channel = channel
        let end = end
        return ResponseBody(contentLength: Int(range.count)) { writer in
            end.bodyBegan()
            var sent: UInt64 = 0
            defer { end.end(sent) }
            do {
                var offset = range.lowerBound
                while offset < range.upperBound {
                    let region = offset..<min(offset + Self.regionSize, range.upperBound)
                    if let availability = file.availability {
                        try await blocking.run { () throws(SymbolStoreError) in try availability.waitForBytes(region) }
                    }
                    try await Self.reserve(UInt64(region.count), of: id, on: channel)
                    try await writer.write(SendfileHandler.token(id, region))
                    sent += UInt64(region.count)
                    offset = region.upperBound
                }
            } catch {
                try? await writer.write(SendfileHandler.releaseToken(id))
                throw error
            }
            try await writer.write(SendfileHandler.releaseToken(id))
            try await writer.finish(nil)
        }
    }

    /// Hands `descriptor` to the connection's `SendfileHandler`, which calls `closed` when it closes it; closed
    /// here if the connection has gone.
    static func adopt(
        _ descriptor: CInt, by channel: any Channel, closed: @escaping @Sendable () -> Void
    ) async throws -> UInt64 {
        let adopted: UInt64?
        do {
            adopted = try await channel.eventLoop.submit { () throws -> UInt64? in
                try channel.pipeline.syncOperations.handler(type: SendfileHandler.self).adopt(descriptor, closed: closed)
            }.get()
        } catch {
            close(descriptor)
            throw error
        }
        guard let adopted else { throw ChannelError.ioOnClosedChannel }
        return adopted
    }

    /// Waits until at most `queuedAhead` bytes of the file besides these are still to go out on `channel`.
    private static func reserve(_ bytes: UInt64, of id: UInt64, on channel: any Channel) async throws {
        try await channel.eventLoop.flatSubmit { () -> EventLoopFuture<Void> in
            do {
                let handler = try channel.pipeline.syncOperations.handler(type: SendfileHandler.self)
                return handler.reserve(id, bytes, ahead: bytes + queuedAhead, on: channel.eventLoop)
            } catch {
                return channel.eventLoop.makeFailedFuture(error)
            }
        }.get()
    }

    static func read(_ file: OpenedSymbolFile, _ range: Range<UInt64>) throws(SymbolStoreError) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: Int(range.count))
        var done = 0
        while done < range.count {
            let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: Int(range.count) - done) { bytes in
                let got = pread(file.descriptor, bytes.baseAddress, Int(range.count) - done, off_t(range.lowerBound) + off_t(done))
                return got < 0 ? 0 : got
            }
            if count == 0 {
                if errno == EINTR { continue }
                throw SymbolStoreError.posix(errno == 0 ? EIO : errno, "cannot read", file.path)
            }
            done += count
        }
        return buffer
    }
}
