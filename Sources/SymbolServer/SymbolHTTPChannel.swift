import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1.1 channel with three changes: `SendfileHandler` next to NIOHTTP1's encoder (file bytes
/// go out with `sendfile`), `IdleConnectionHandler` in place of Hummingbird's idle timer, and the connection
/// limit, past which a connection gets a 503 and is closed.
struct SymbolHTTPChannel: HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    static let refusal = ByteBuffer(
        string: "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: 19\r\nRetry-After: 1\r\nConnection: close\r\n\r\ntoo many connections")

    let responder: HTTPChannelHandler.Responder
    let limit: ConnectionLimit
    let idleTimeout: Int64
    let maximumHeaderBytes: Int

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            if limit.admit() {
                let limit = limit
                channel.closeFuture.whenComplete { _ in limit.release() }
            } else {
                // The answer goes straight to the socket, before any HTTP handler; what the client sends is read
                // and dropped for a second before the close, so the close is a FIN, not a reset that could
                // destroy the 503 before the client reads it.
                try channel.pipeline.syncOperations.addHandler(DiscardedInput())
                channel.writeAndFlush(Self.refusal).whenComplete { _ in
                    channel.close(mode: .output, promise: nil)
                    channel.eventLoop.scheduleTask(in: .seconds(1)) { channel.close(promise: nil) }
                }
            }
            var limits = NIOHTTPDecoderLimitConfiguration()
            limits.maxHeaderFieldSize = maximumHeaderBytes
            limits.maxHeaderListSize = maximumHeaderBytes
            limits.maxHeaderFieldCount = 100
            let pipeline = channel.pipeline.syncOperations
            try pipeline.configureHTTPServerPipeline(
                withPipeliningAssistance: false, withErrorHandling: false, withOutboundHeaderValidation: false,
                withEncoderConfiguration: .init(), withDecoderLimitConfiguration: limits)
            try pipeline.addHandler(SendfileHandler())
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try pipeline.addHandler(IdleConnectionHandler(timeout: .seconds(idleTimeout)))
            try pipeline.addHandler(HTTPConnectionStateHandler(idleTimeout: nil, logger: logger))
            return try NIOAsyncChannel(
                wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}

/// Drops what a refused client sends.
final class DiscardedInput: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}
