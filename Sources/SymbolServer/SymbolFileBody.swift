import Hummingbird
import NIOCore
import SymbolStore
#if canImport(Glibc)
import Glibc
#endif

/// A response body read from an opened symbol file, `range` of it, in chunks: each waits on the blocking pool
/// until its bytes are there (a file still arriving from a server is sent as it arrives) and is read with
/// `pread`. The descriptor is closed when the body ends, however it ends.
struct SymbolFileBody {
    static let chunkSize: UInt64 = 256 * 1024

    let file: OpenedSymbolFile
    let range: Range<UInt64>
    let blocking: BlockingWork
    /// Called with the bytes sent once the body ends.
    let finished: @Sendable (UInt64) -> Void

    var body: ResponseBody {
        let file = file
        let range = range
        let blocking = blocking
        let finished = finished
        return ResponseBody(contentLength: Int(range.count)) { writer in
            var sent: UInt64 = 0
            defer {
                close(file.descriptor)
                finished(sent)
            }
            var offset = range.lowerBound
            while offset < range.upperBound {
                let chunk = offset..<min(offset + Self.chunkSize, range.upperBound)
                let buffer = try await blocking.run { () throws(SymbolStoreError) -> ByteBuffer in
                    try file.availability?.waitForBytes(chunk)
                    return try Self.read(file, chunk)
                }
                try await writer.write(buffer)
                sent += UInt64(buffer.readableBytes)
                offset = chunk.upperBound
            }
            try await writer.finish(nil)
        }
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
