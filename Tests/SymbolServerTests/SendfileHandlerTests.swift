import Foundation
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
import TestSupport
@testable import SymbolServer
@testable import SystemSupport

/// The handler that turns body tokens into file regions, on an embedded channel: tokens of adopted files become
/// regions of the right span, other bodies pass untouched, reservations wait for what is still to go, and every
/// adopted file is closed once released or when the connection goes.
@Suite struct SendfileHandlerTests {
    func openFile(_ directory: TemporaryDirectory, bytes: Int = 4096) throws -> CInt {
        let path = directory.path + "/file"
        FileManager.default.createFile(atPath: path, contents: Data(repeating: 1, count: bytes))
        let descriptor = open(path, O_RDONLY)
        try #require(descriptor >= 0)
        return descriptor
    }

    func isOpen(_ descriptor: CInt) -> Bool { fcntl(descriptor, F_GETFD) >= 0 }

    @Test func tokensBecomeRegionsAndOtherBodiesPass() throws {
        let directory = try TemporaryDirectory("symfs-sendfile")
        let handler = SendfileHandler()
        let channel = EmbeddedChannel(handler: handler)
        let descriptor = try openFile(directory)
        let id = try #require(handler.adopt(descriptor))
        try channel.writeOutbound(HTTPServerResponsePart.body(.byteBuffer(SendfileHandler.token(id, 100..<1100))))
        guard case .body(.fileRegion(let region)) = try channel.readOutbound(as: HTTPServerResponsePart.self) else {
            Issue.record("no file region")
            return
        }
        #expect(region.readerIndex == 100 && region.endIndex == 1100)
        let text = ByteBuffer(string: "not a token")
        try channel.writeOutbound(HTTPServerResponsePart.body(.byteBuffer(text)))
        #expect(try channel.readOutbound(as: HTTPServerResponsePart.self) == .body(.byteBuffer(text)))
        // A token of an id this connection never adopted is just bytes.
        let stranger = SendfileHandler.token(id + 7, 0..<10)
        try channel.writeOutbound(HTTPServerResponsePart.body(.byteBuffer(stranger)))
        #expect(try channel.readOutbound(as: HTTPServerResponsePart.self) == .body(.byteBuffer(stranger)))

        #expect(isOpen(descriptor))
        try channel.writeOutbound(HTTPServerResponsePart.body(.byteBuffer(SendfileHandler.releaseToken(id))))
        #expect(try channel.readOutbound(as: HTTPServerResponsePart.self) == nil, "a release sends nothing")
        #expect(!isOpen(descriptor), "released and its region written: closed")
        _ = try channel.finish()
    }

    @Test func aClosedConnectionClosesWhatItAdoptedAndRefusesMore() throws {
        let directory = try TemporaryDirectory("symfs-sendfile")
        let handler = SendfileHandler()
        let channel = EmbeddedChannel(handler: handler)
        let descriptor = try openFile(directory)
        let closed = Locked(0)
        let id = handler.adopt(descriptor, closed: { closed.withLock { $0 += 1 } })
        #expect(id != nil)
        #expect(closed.withLock { $0 } == 0)
        _ = try channel.finish()
        #expect(!isOpen(descriptor))
        #expect(closed.withLock { $0 } == 1, "who adopted it is told")
        let late = try openFile(directory)
        #expect(handler.adopt(late) == nil)
        #expect(!isOpen(late), "adopting on a gone connection closes the file")
    }

    @Test func aReservationWaitsWhileMoreThanItsAllowanceIsUnsent() throws {
        let directory = try TemporaryDirectory("symfs-sendfile")
        let handler = SendfileHandler()
        let channel = EmbeddedChannel(handler: handler)
        let id = try #require(handler.adopt(try openFile(directory)))
        let loop = channel.eventLoop
        let first = handler.reserve(id, 1000, ahead: 2000, on: loop)
        let second = handler.reserve(id, 1000, ahead: 2000, on: loop)
        let third = handler.reserve(id, 1000, ahead: 2000, on: loop)
        var done = [false, false, false]
        for (index, future) in [first, second, third].enumerated() { future.whenSuccess { done[index] = true } }
        var thirdDone: Bool { done[2] }
        #expect(done[0] && done[1] && !thirdDone, "3000 unsent is more than 2000")
        // The first region goes out: 2000 unsent, the third may go.
        channel.write(HTTPServerResponsePart.body(.byteBuffer(SendfileHandler.token(id, 0..<1000))), promise: nil)
        #expect(!thirdDone, "written but not flushed")
        channel.flush()
        #expect(thirdDone)
        _ = try channel.finish()
    }

    /// A streamed response's end is reported once: by its body, or with no bytes when the connection closed its
    /// file before the body began; whether the reporter came before or after.
    @Test func aResponseEndIsReportedOnce() {
        let reported = Locked<[UInt64]>([])
        let byBody = ResponseEnd()
        byBody.report { bytes in reported.withLock { $0.append(bytes) } }
        byBody.bodyBegan()
        byBody.fileClosed()  // the file closes after the last region, before the body's own end
        byBody.end(4096)
        byBody.end(1)
        #expect(reported.withLock { $0 } == [4096])

        let neverBegan = ResponseEnd()
        neverBegan.fileClosed()
        #expect(reported.withLock { $0 } == [4096], "no reporter yet")
        neverBegan.report { bytes in reported.withLock { $0.append(bytes) } }
        neverBegan.end(7)
        #expect(reported.withLock { $0 } == [4096, 0])
    }
}
