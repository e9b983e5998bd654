import NIOCore
import NIOHTTP1
#if canImport(Glibc)
import Glibc
#endif

/// Sends file bytes with `sendfile(2)` although Hummingbird's body writer takes only buffers. A response body
/// gives the handler a file (`adopt`), then writes small tokens naming ranges of it; the handler, between
/// NIOHTTP1's encoder and Hummingbird's part converter, swaps each token for a `FileRegion`, so the bytes never
/// enter user space. Before each token the body `reserve`s its bytes and waits while more than `ahead` bytes of
/// that file are still to go out: Hummingbird's writer hands parts on before the channel has written the last
/// ones (its writability reaches the writer late), so this is what keeps a slow client from queueing a whole
/// file.
///
/// The handler owns an adopted file until its release token has passed and its last region has gone out, or the
/// connection has closed. Tokens carry a random per-process prefix, and only ids adopted on this connection are
/// swapped; any other body part passes untouched.
final class SendfileHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private struct AdoptedFile {
        let handle: NIOFileHandle
        let closed: (@Sendable () -> Void)?
        var lastWrite: EventLoopFuture<Void>?
        /// Bytes reserved and not yet written to the socket.
        var unsent: UInt64 = 0
        var waiters: [(limit: UInt64, promise: EventLoopPromise<Void>)] = []
    }

    private static let prefix: [UInt8] = (0..<16).map { _ in UInt8.random(in: 0...255) }
    private static let tokenSize = prefix.count + 24
    private static let releaseLength = UInt64.max

    private var files: [UInt64: AdoptedFile] = [:]
    private var nextID: UInt64 = 1
    private var isRemoved = false

    /// Takes ownership of `descriptor`, and calls `closed` once it is closed; nil (and the descriptor closed,
    /// `closed` not called) when the connection has already gone.
    func adopt(_ descriptor: CInt, closed: (@Sendable () -> Void)? = nil) -> UInt64? {
        guard !isRemoved else {
            Glibc.close(descriptor)
            return nil
        }
        let id = nextID
        nextID += 1
        files[id] = AdoptedFile(handle: NIOFileHandle(_deprecatedTakingOwnershipOfDescriptor: descriptor), closed: closed)
        return id
    }

    /// Counts `bytes` of file `id` as on their way; the future completes once no more than `ahead` bytes of it
    /// (these included) are still to go out. It fails when the connection has gone.
    func reserve(_ id: UInt64, _ bytes: UInt64, ahead: UInt64, on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        guard var file = files[id] else { return eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel) }
        file.unsent += bytes
        defer { files[id] = file }
        if file.unsent <= ahead { return eventLoop.makeSucceededVoidFuture() }
        let promise = eventLoop.makePromise(of: Void.self)
        file.waiters.append((ahead, promise))
        return promise.futureResult
    }

    private func sent(_ id: UInt64, _ bytes: UInt64) {
        guard var file = files[id] else { return }
        file.unsent -= min(bytes, file.unsent)
        let unsent = file.unsent
        let ready = file.waiters.filter { unsent <= $0.limit }
        file.waiters.removeAll { unsent <= $0.limit }
        files[id] = file
        ready.forEach { $0.promise.succeed() }
    }

    /// A body part that stands for `range` of adopted file `id`.
    static func token(_ id: UInt64, _ range: Range<UInt64>) -> ByteBuffer {
        token(id, offset: range.lowerBound, length: UInt64(range.count))
    }

    /// A body part (sending nothing) after which adopted file `id` is closed once its regions have gone out.
    static func releaseToken(_ id: UInt64) -> ByteBuffer {
        token(id, offset: 0, length: releaseLength)
    }

    private static func token(_ id: UInt64, offset: UInt64, length: UInt64) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(tokenSize)
        buffer.writeBytes(prefix)
        buffer.writeInteger(id)
        buffer.writeInteger(offset)
        buffer.writeInteger(length)
        return buffer
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .body(.byteBuffer(let buffer)) = unwrapOutboundIn(data), buffer.readableBytes == Self.tokenSize,
            buffer.readableBytesView.starts(with: Self.prefix)
        else {
            context.write(data, promise: promise)
            return
        }
        var fields = buffer
        fields.moveReaderIndex(forwardBy: Self.prefix.count)
        guard let id = fields.readInteger(as: UInt64.self), let offset = fields.readInteger(as: UInt64.self),
            let length = fields.readInteger(as: UInt64.self), var file = files[id]
        else {
            context.write(data, promise: promise)
            return
        }
        if length == Self.releaseLength {
            files[id] = nil
            file.waiters.forEach { $0.promise.fail(ChannelError.ioOnClosedChannel) }
            Self.closeAfterLastWrite(file)
            promise?.succeed()
            return
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        let region = FileRegion(fileHandle: file.handle, readerIndex: Int(offset), endIndex: Int(offset + length))
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        written.futureResult.whenSuccess { handler.value.sent(id, length) }
        context.write(wrapOutboundOut(.body(.fileRegion(region))), promise: written)
        file.lastWrite = written.futureResult
        files[id] = file
        if let promise { written.futureResult.cascade(to: promise) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        isRemoved = true
        for file in files.values {
            file.waiters.forEach { $0.promise.fail(ChannelError.ioOnClosedChannel) }
            Self.closeAfterLastWrite(file)
        }
        files = [:]
    }

    private static func closeAfterLastWrite(_ file: AdoptedFile) {
        guard let lastWrite = file.lastWrite else {
            try? file.handle.close()
            file.closed?()
            return
        }
        lastWrite.whenComplete { _ in
            try? file.handle.close()
            file.closed?()
        }
    }
}
