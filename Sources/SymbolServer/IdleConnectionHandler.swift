import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes a connection that makes no progress for `timeout`: one idle between requests (a slowloris included),
/// and one whose client stops taking a response's bytes. Progress is a request's head or end read or a response
/// write completed (a region of a file is 256 KiB), so a slow client that keeps reading is never cut, however long its file takes. A request being
/// answered with nothing yet written (a lookup waiting on a server) is left to the lookup's own deadline.
/// (Hummingbird's own idle timer restarts when a response's last part is queued, not sent, and does not run
/// while a response is under way, so it is turned off.)
final class IdleConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let timeout: TimeAmount
    private var lastProgress = NIODeadline.uptimeNanoseconds(0)
    /// The connection's event loop, whose clock every time here is read from.
    private var eventLoop: (any EventLoop)?
    private var requestsUnanswered = 0
    private var writesPending = 0
    private var check: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        eventLoop = context.eventLoop
        lastProgress = context.eventLoop.now
        schedule(context, at: lastProgress + timeout)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        check?.cancel()
        check = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Request bodies are not progress: a GET whose body trickles in a byte at a time is a slowloris.
        switch unwrapInboundIn(data) {
        case .head:
            requestsUnanswered += 1
            lastProgress = context.eventLoop.now
        case .end:
            lastProgress = context.eventLoop.now
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { requestsUnanswered -= 1 }
        writesPending += 1
        let written = promise ?? context.eventLoop.makePromise()
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        written.futureResult.whenComplete { _ in handler.value.written() }
        context.write(data, promise: written)
    }

    private func written() {
        writesPending -= 1
        lastProgress = eventLoop?.now ?? lastProgress
    }

    private func schedule(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        check = context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = loopBound.value
            handler.timeoutCheck(context)
        }
    }

    private func timeoutCheck(_ context: ChannelHandlerContext) {
        let answering = requestsUnanswered > 0 && writesPending == 0
        let due = lastProgress + timeout
        if !answering && due <= context.eventLoop.now {
            context.close(promise: nil)
            return
        }
        schedule(context, at: answering ? context.eventLoop.now + timeout : due)
    }
}
