import HTTPTypes
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing
@testable import SymbolServer

/// Idle connections close after the timeout; a request being answered with nothing written yet does not, and
/// neither does one whose response makes progress.
@Suite struct IdleConnectionHandlerTests {
    func channel() throws -> (EmbeddedChannel, EmbeddedEventLoop) {
        let loop = EmbeddedEventLoop()
        let channel = EmbeddedChannel(handler: IdleConnectionHandler(timeout: .seconds(30)), loop: loop)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return (channel, loop)
    }

    static let head = HTTPRequestPart.head(HTTPRequest(method: .get, scheme: nil, authority: nil, path: "/"))

    @Test func anIdleConnectionClosesAfterTheTimeout() throws {
        let (channel, loop) = try channel()
        loop.advanceTime(by: .seconds(29))
        #expect(channel.isActive)
        loop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive)
    }

    @Test func aRequestBeingAnsweredIsLeftToItsLookup() throws {
        let (channel, loop) = try channel()
        try channel.writeInbound(Self.head)
        try channel.writeInbound(HTTPRequestPart.end(nil))
        loop.advanceTime(by: .seconds(120))
        #expect(channel.isActive, "a lookup may take long; its own deadline ends it")
        // Answered: the timer runs again from the last write.
        try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
        try channel.writeOutbound(HTTPResponsePart.end(nil))
        loop.advanceTime(by: .seconds(29))
        #expect(channel.isActive)
        loop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive)
    }

    @Test func aResponseThatKeepsMovingIsNeverCut() throws {
        let (channel, loop) = try channel()
        try channel.writeInbound(Self.head)
        try channel.writeInbound(HTTPRequestPart.end(nil))
        try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
        for _ in 0..<10 {
            loop.advanceTime(by: .seconds(20))
            try channel.writeOutbound(HTTPResponsePart.body(ByteBuffer(string: "more")))
        }
        #expect(channel.isActive, "200 s of a response, a write every 20 s")
        _ = try channel.finish(acceptAlreadyClosed: true)
    }
}
