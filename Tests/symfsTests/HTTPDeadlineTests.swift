import Foundation
import Testing
import TestSupport

/// Servers that trickle, stall or never answer a connect: a reader of an uncached file gets EIO within the
/// daemon's own deadlines (a reader blocked in a FUSE request cannot be killed), the mount stays up, files of
/// other stores keep reading, and the cache holds nothing partial.
@Suite(.serialized)
struct HTTPDeadlineTests {
    let fixture = MountFixture.shared
    let directory: TemporaryDirectory
    let server: FaultServer
    let pdb: SampleFile
    let local: SampleFile

    init() throws {
        directory = try TemporaryDirectory("symfs-deadlines")
        server = try FaultServer(root: fixture.flat)
        pdb = fixture.files[1].file
        local = fixture.files[0].file
        try StoreWriter.place(local.path, at: localStore, "\(local.name)/\(local.key)/\(local.name)")
    }

    var localStore: String { directory.path + "/local" }
    var cache: String { directory.path + "/cache" }
    var urlPath: String { "/\(pdb.name)/\(pdb.key)/\(pdb.name)" }

    /// Reads `pdb` through a mount of `srv*LOCAL;srv*CACHE*SERVER` and checks what the suite promises.
    func expectEIOInTime(from serverURL: String) throws {
        let mount = try SymfsMount(symbolPath: "srv*\(localStore);srv*\(cache)*\(serverURL)")
        let start = Date()
        let result = readWhole(mount.path(String(urlPath.dropFirst())))
        let seconds = Date().timeIntervalSince(start)
        #expect(result.data == nil && result.errno == EIO, "errno \(result.errno); log:\n\(mount.log())")
        #expect(seconds < 35, "took \(seconds) s")
        let other = readWhole(mount.path("\(local.name)/\(local.key)/\(local.name)"))
        #expect(other.data == local.bytes, "the mount must stay up: errno \(other.errno)")
        #expect(mount.unmount() == 0)
        let files = ReadBack.files(under: cache).filter { !$0.contains(".symfs-tmp-") }
        #expect(files.isEmpty, "\(files)")
    }

    @Test func aServerTricklingItsAnswersIsEIO() throws {
        server.set(urlPath, .init(bytesPerSecond: 1))
        try expectEIOInTime(from: server.baseURL)
    }

    @Test func aServerThatStallsAfterItsHeadersIsEIO() throws {
        server.set(urlPath, .init(stallSeconds: 120))
        try expectEIOInTime(from: server.baseURL)
    }

    @Test func aDownloadTricklingAfterTheLookupIsEIO() throws {
        server.set(urlPath, .init(bytesPerSecond: 1, fastBytes: 4096))
        try expectEIOInTime(from: server.baseURL)
    }

    @Test func aDownloadStallingMidBodyIsEIO() throws {
        server.set(urlPath, .init(stallAfterBytes: 20_000))
        try expectEIOInTime(from: server.baseURL)
    }

    @Test func aServerThatNeverAcceptsTheConnectionIsEIO() throws {
        let listener = try UnacceptingListener()
        try expectEIOInTime(from: listener.baseURL)
    }
}

/// The whole file at `path`, or the errno of the open or read that failed.
func readWhole(_ path: String) -> (data: Data?, errno: Int32) {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { return (nil, errno) }
    defer { close(descriptor) }
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = read(descriptor, &buffer, buffer.count)
        if count < 0 { return (nil, errno) }
        if count == 0 { return (data, 0) }
        data.append(contentsOf: buffer[..<count])
    }
}
