import Foundation
import Testing
import TestSupport

/// Lying and failing servers behind the mount: each case checks the errno seen
/// through the mount, the requests the server saw, and that the cache holds no partial or wrong file
/// (symsrv-spec.md §3.2, §3.6, §7 #4 and #8).
@Suite(.serialized)
struct HTTPFaultTests {
    let fixture = MountFixture.shared
    let caches: TemporaryDirectory
    let server: FaultServer
    let pdb: SampleFile

    init() throws {
        caches = try TemporaryDirectory("symfs-fault-caches")
        server = try FaultServer(root: fixture.flat)
        pdb = fixture.files[1].file
    }

    var cache: String { caches.path + "/cache" }
    var urlPath: String { "/\(pdb.name)/\(pdb.key)/\(pdb.name)" }
    var cachedFile: String { "\(cache)/\(pdb.name)/\(pdb.key)/\(pdb.name)" }

    func mount() throws -> SymfsMount {
        try SymfsMount(symbolPath: "srv*\(cache)*\(server.baseURL)")
    }

    func read(_ mount: SymfsMount) -> (data: Data?, errno: Int32) {
        readWhole(mount.path(String(urlPath.dropFirst())))
    }

    func cacheHoldsNoFile() throws -> Bool {
        let files = try run("find", [caches.path, "-type", "f"]).standardOutput
        return files.isEmpty
    }

    @Test func serverErrorsThenSuccessAreRetried() throws {
        server.set(urlPath, .init(failStatus: 503, failTimes: 2))
        let mount = try mount()
        #expect(read(mount).data == pdb.bytes)
        #expect(server.requests().filter { $0.path == urlPath }.count >= 3)
    }

    /// A server that fails once the file is found: the client's retries are the only ones for a transfer that
    /// brought no bytes (1 + 3 GETs for a lasting 503), and an answer that will not change (a 404) is asked once.
    @Test(arguments: [(503, 4), (404, 1)])
    func aFailureAfterTheLookupIsRetriedOnlyByTheClient(status: Int, requestsPerTransfer: Int) throws {
        let mount = try mount()
        var attributes = stat()
        #expect(stat(mount.path(String(urlPath.dropFirst())), &attributes) == 0)
        let before = server.requests().filter { $0.path == urlPath }.count
        server.set(urlPath, .status(status))
        let result = read(mount)
        #expect(result.data == nil && result.errno == EIO, "\(result.errno)")
        let transfers = server.requests().filter { $0.path == urlPath }.dropFirst(before)
        // The download's chunk and perhaps a reader's own range: each asked `requestsPerTransfer` times.
        let ranges = Dictionary(grouping: transfers, by: { $0.range ?? "" })
        #expect(!ranges.isEmpty && ranges.values.allSatisfy { $0.count == requestsPerTransfer }, "\(ranges)")
        mount.unmount()
        #expect(try cacheHoldsNoFile())
    }

    @Test func aResetMidBodyResumesWithARange() throws {
        server.set(urlPath, .init(resetAfterBytes: 30_000))
        let mount = try mount()
        #expect(read(mount).data == pdb.bytes)
        #expect(waitForFile(cachedFile))
        #expect(FileManager.default.contents(atPath: cachedFile) == pdb.bytes)
        let ranges = server.requests().filter { $0.path == urlPath }.compactMap(\.range)
        #expect(ranges.count >= 3, "\(ranges)")
    }

    @Test func aTruncatedBodyIsEIOAndLeavesNothing() throws {
        server.set(urlPath, .init(truncateAfterBytes: 10_000))
        let mount = try mount()
        let result = read(mount)
        #expect(result.data == nil && result.errno == EIO, "\(result.errno)")
        mount.unmount()
        #expect(try cacheHoldsNoFile())
    }

    @Test func aLyingContentLengthIsEIOAndLeavesNothing() throws {
        server.set(urlPath, .init(contentLength: pdb.bytes.count + 5_000, ignoreRanges: true))
        let mount = try mount()
        #expect(read(mount).errno == EIO)
        mount.unmount()
        #expect(try cacheHoldsNoFile())
    }

    @Test func theWrongFileIsEIOAndNeverCached() throws {
        let other = fixture.files.first { $0.file.name == "common.pdb" }!.file
        server.set(urlPath, .init(body: other.bytes))
        let mount = try mount()
        let result = read(mount)
        #expect(result.data == nil && result.errno == EIO)
        mount.unmount()
        #expect(try cacheHoldsNoFile())
    }

    /// The same mount, the same `cat` twice: the lying server's file is never served, and by the second `cat` the
    /// file comes from the next server of the path, though the kernel still holds the first answer's entry.
    @Test func theWrongFileIsPassedOverForTheNextServerInTheSameMount() throws {
        let other = fixture.files.first { $0.file.name == "common.pdb" }!.file
        server.set(urlPath, .init(body: other.bytes))
        let nginx = try NginxServer(root: fixture.flat)
        let mount = try SymfsMount(symbolPath: "srv*\(cache)*\(server.baseURL);srv*\(nginx.baseURL)")
        // Rejected during the read, the read fails (EIO); rejected while the open waited for it, the open itself
        // went on to the next server.
        let first = read(mount)
        #expect((first.data == nil && first.errno == EIO) || first.data == pdb.bytes, "\(first.errno)")
        let second = read(mount)
        #expect(second.data == pdb.bytes, "errno \(second.errno); log:\n\(mount.log())")
        mount.unmount()
        let cached = ReadBack.files(under: caches.path)
        #expect(cached.allSatisfy { FileManager.default.contents(atPath: caches.path + "/" + $0) == pdb.bytes }, "\(cached)")
    }

    /// A file removed from the cache behind a running mount (a cleaner, a prune) is fetched again on its next
    /// open, though the kernel still holds its entry.
    @Test func aCacheFileRemovedBehindTheMountIsFetchedAgain() throws {
        let mount = try mount()
        #expect(read(mount).data == pdb.bytes)
        #expect(waitForFile(cachedFile))
        try FileManager.default.removeItem(atPath: cachedFile)
        let again = read(mount)
        #expect(again.data == pdb.bytes, "errno \(again.errno); log:\n\(mount.log())")
        #expect(waitForFile(cachedFile))
        #expect(FileManager.default.contents(atPath: cachedFile) == pdb.bytes)
    }

    @Test func anHTMLPageIsAMiss() throws {
        server.set(urlPath, .htmlPage)
        let mount = try mount()
        var status = stat()
        #expect(stat(mount.path(String(urlPath.dropFirst())), &status) == -1 && errno == ENOENT)
        #expect(try cacheHoldsNoFile())
    }

    @Test func redirectsToAnotherServerAreFollowedAndLoopsEnd() throws {
        let nginx = try NginxServer(root: fixture.flat)
        server.set(urlPath, .init(redirect: nginx.baseURL + urlPath))
        let mount = try mount()
        #expect(read(mount).data == pdb.bytes)
        #expect(nginx.accessLog().contains { $0.path == urlPath })

        let alpha = fixture.files[0].file
        let loop = "/\(alpha.name)/\(alpha.key)/\(alpha.name)"
        server.set(loop, .init(redirect: server.baseURL + loop))
        var status = stat()
        #expect(stat(mount.path(String(loop.dropFirst())), &status) == -1)
        #expect(errno == EIO || errno == ENOENT, "\(errno)")
        #expect(server.requests().filter { $0.path == loop }.count <= 20)
    }

    /// kill -9 in the middle of a download, then a fresh mount: nothing partial in the cache, and the file
    /// fetches again and reads byte-identical.
    @Test func aKilledDaemonLeavesACleanCache() throws {
        server.set(urlPath, .init(bytesPerSecond: 20_000))
        let crashed = try mount()
        let path = crashed.path(String(urlPath.dropFirst()))
        let descriptor = open(path, O_RDONLY)
        #expect(descriptor >= 0)
        var buffer = [UInt8](repeating: 0, count: 4096)
        _ = pread(descriptor, &buffer, 4096, 0)
        kill(crashed.process.processIdentifier, SIGKILL)
        crashed.process.waitUntilExit()
        close(descriptor)
        #expect(!FileManager.default.fileExists(atPath: cachedFile))

        server.set(urlPath, nil)
        let fresh = try SymfsMount(symbolPath: "srv*\(cache)*\(server.baseURL)",
                                   arguments: [], reuseMountpoint: crashed.mountpoint)
        #expect(fresh.log().contains("clearing a stale mount"))
        #expect(fresh.log().contains("removed downloads a stopped daemon left"))
        let result = read(fresh)
        #expect(result.data == pdb.bytes, "errno \(result.errno); log:\n\(fresh.log())")
        #expect(waitForFile(cachedFile))
        let leftovers = try run("find", [caches.path, "-path", "*.symfs-tmp-downloads*", "-type", "f"]).standardOutput
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    /// A cache on a full disk (a 16 KiB tmpfs here): the open or read fails cleanly, the log says the cache is
    /// full, and the disk is left without a partial file.
    @Test func aFullCacheFailsCleanlyAndSaysSo() throws {
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        try runChecked("mount", ["-t", "tmpfs", "-o", "size=16k", "symfs-full-cache", cache])
        defer { _ = try? run("umount", ["-l", cache]) }
        #expect(pdb.bytes.count > 64 << 10)
        let mount = try mount()
        let result = read(mount)
        #expect(result.data == nil && [ENOSPC, EIO].contains(result.errno), "\(result.errno)")
        mount.unmount()
        #expect(mount.log().contains("cache is full"), "\(mount.log())")
        #expect(try cacheHoldsNoFile())
    }

    /// A token for an authenticated server (Azure DevOps: `Authorization: Basic …`, spec §3.3) reaches the server
    /// and never the log; from a file too, which keeps it out of `ps` (written on Windows here: CRLF line ends).
    @Test func extraHeadersReachTheServerAndNotTheLog() throws {
        let headers = try caches.file("headers")
        try "# tokens\r\n127.0.0.1 X-From-File: file-secret\r\n127.0.0.1 X-Second: two\r\n"
            .write(toFile: headers, atomically: true, encoding: .utf8)
        let mount = try SymfsMount(symbolPath: "srv*\(cache)*\(server.baseURL)", arguments: [
            "-v", "--http-header", "127.0.0.1=Authorization: Basic c2VjcmV0", "--http-headers-file", headers])
        #expect(read(mount).data == pdb.bytes)
        let seen = try #require(server.requests().first { $0.path == urlPath })
        #expect(seen.headers.first { $0.key.lowercased() == "authorization" }?.value == "Basic c2VjcmV0")
        #expect(seen.headers.first { $0.key.lowercased() == "x-from-file" }?.value == "file-secret")
        #expect(seen.headers.first { $0.key.lowercased() == "x-second" }?.value == "two")
        #expect(seen.headers.first { $0.key.lowercased() == "user-agent" }?.value.hasPrefix("Microsoft-Symbol-Server/") == true)
        mount.unmount()
        #expect(!mount.log().contains("c2VjcmV0") && !mount.log().contains("file-secret"))
        #expect(mount.log().contains("fetched"))
    }
}
