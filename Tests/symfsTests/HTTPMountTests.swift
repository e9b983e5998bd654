import Foundation
import Testing
import TestSupport

/// The mount in front of HTTP symbol servers: nginx serving stores that PyPI symstore wrote,
/// files fetched on first open into the caches the path names, one download however many readers.
@Suite(.serialized)
struct HTTPMountTests {
    let fixture = MountFixture.shared
    let caches: TemporaryDirectory
    let plainServer: NginxServer
    let compressedServer: NginxServer

    init() throws {
        caches = try TemporaryDirectory("symfs-http-caches")
        plainServer = try NginxServer(root: fixture.flat)
        compressedServer = try NginxServer(root: fixture.compressed)
    }

    var cache: String { caches.path + "/cache" }
    var downstream: String { caches.path + "/downstream" }

    func mount() throws -> SymfsMount {
        try SymfsMount(symbolPath: "srv*\(cache)*\(plainServer.baseURL);srv*\(downstream)*\(compressedServer.baseURL)")
    }

    func storePath(_ mount: SymfsMount, _ file: SampleFile) -> String {
        mount.path("\(file.name)/\(file.key)/\(file.name)")
    }

    func served(by store: String) -> [SampleFile] {
        fixture.files.filter { $0.store == store }.map(\.file)
    }

    @Test func filesFetchOnFirstOpenByteIdenticalIntoTheCache() throws {
        let mount = try mount()
        for file in served(by: fixture.flat) {
            #expect(try run("cmp", [file.path, storePath(mount, file)]).status == 0, "\(file.name)")
            // The file takes its place in the cache once verified, just after its last byte was served.
            let cached = "\(cache)/\(file.name)/\(file.key)/\(file.name)"
            #expect(waitForFile(cached))
            #expect(try run("cmp", [file.path, cached]).status == 0, "\(file.name) in the cache")
        }
        let leftovers = try run("find", [caches.path, "-name", ".symfs-tmp-*", "-type", "f"]).standardOutput
        #expect(leftovers.isEmpty, "\(leftovers)")
        // Tier 1 of element 0 is the server (tier 0 is the cache in front of it).
        let files = served(by: fixture.flat)
        var stats = ""
        let deadline = Date().addingTimeInterval(5)
        repeat {
            stats = try String(contentsOfFile: mount.path(".symfs/stats"), encoding: .utf8)
        } while !stats.contains("downloads \(files.count)\n") && Date() < deadline
        #expect(stats.contains("hits_store_0.1 \(files.count)\n"), "\(stats)")
        #expect(stats.contains("downloads \(files.count)\n"), "\(stats)")
        #expect(stats.contains("bytes_downloaded \(files.reduce(0) { $0 + $1.bytes.count })\n"), "\(stats)")
    }

    /// `name_` files on the server are decompressed into the leftmost store of their chain (spec §1.1).
    @Test func compressedFilesAreServedDecompressed() throws {
        let mount = try mount()
        for file in served(by: fixture.compressed) {
            #expect(try run("cmp", [file.path, storePath(mount, file)]).status == 0, "\(file.name)")
            let cached = "\(downstream)/\(file.name)/\(file.key)/\(file.name)"
            #expect(waitForFile(cached))
            #expect(try run("cmp", [file.path, cached]).status == 0)
        }
    }

    /// A ZIP `name_` on the server (`symstore /compress ZIP`) reads decompressed and is cached decompressed.
    @Test func zipCompressedFilesAreServedDecompressed() throws {
        let scratch = try TemporaryDirectory("symfs-http-zip")
        let file = served(by: fixture.flat)[0]
        let zip = try StoreWriter.zip(of: file, in: scratch.path, form: .streamed)
        let key = "\(scratch.path)/root/\(file.name)/\(file.key)"
        try FileManager.default.createDirectory(atPath: key, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: zip, toPath: "\(key)/\(String(file.name.dropLast()))_")
        let server = try NginxServer(root: scratch.path + "/root")
        let mount = try SymfsMount(symbolPath: "srv*\(cache)*\(server.baseURL)")
        var status = stat()
        #expect(stat(storePath(mount, file), &status) == 0 && status.st_size == file.bytes.count)
        #expect(try run("cmp", [file.path, storePath(mount, file)]).status == 0)
        let cached = "\(cache)/\(file.name)/\(file.key)/\(file.name)"
        #expect(waitForFile(cached))
        #expect(try run("cmp", [file.path, cached]).status == 0)
    }

    @Test func aSecondMountReadsFromTheCacheWithoutTheServer() throws {
        let file = served(by: fixture.flat)[0]
        do {
            let first = try mount()
            #expect(try run("cmp", [file.path, storePath(first, file)]).status == 0)
            first.unmount()
        }
        // The daemon lets a download finish before it exits, so the file read in full is in the cache.
        #expect(try run("cmp", [file.path, "\(cache)/\(file.name)/\(file.key)/\(file.name)"]).status == 0)
        let before = plainServer.accessLog().count
        let second = try SymfsMount(symbolPath: "srv*\(cache)*http://127.0.0.1:9")
        #expect(try run("cmp", [file.path, storePath(second, file)]).status == 0)
        #expect(plainServer.accessLog().count == before)
    }

    /// A name that travels percent-encoded (`%20`, `%2B`) is cached as it is spelled, not as the URL spells it.
    @Test func aNameThatNeedsEncodingIsCachedAsItIsSpelled() throws {
        let file = served(by: fixture.flat)[0]
        let name = "my lib+\(file.name)"
        let root = try TemporaryDirectory("symfs-http-names")
        try FileManager.default.createDirectory(atPath: "\(root.path)/\(name)/\(file.key)", withIntermediateDirectories: true)
        try Data(file.bytes).write(to: URL(fileURLWithPath: "\(root.path)/\(name)/\(file.key)/\(name)"))
        let server = try NginxServer(root: root.path)
        let mount = try SymfsMount(symbolPath: "srv*\(cache)*\(server.baseURL)")
        #expect(try run("cmp", [file.path, mount.path("\(name)/\(file.key)/\(name)")]).status == 0)
        #expect(server.accessLog().contains { $0.path.contains("my%20lib%2B") }, "\(server.accessLog())")
        #expect(waitForFile("\(cache)/\(name)/\(file.key)/\(name)"))
        let cached = try run("find", [cache, "-type", "f"]).standardOutput
        #expect(!cached.contains("%"), "\(cached)")
    }

    @Test func missesAreENOENTAndAskTheServerOnce() throws {
        let mount = try mount()
        let path = mount.path("absent.pdb/0123456789ABCDEF0123456789ABCDEF1/absent.pdb")
        var status = stat()
        #expect(stat(path, &status) == -1 && errno == ENOENT)
        let asked = plainServer.accessLog().filter { $0.path.lowercased().contains("absent.pdb") }.count
        #expect(asked > 0)
        for _ in 0..<5 { #expect(stat(path, &status) == -1 && errno == ENOENT) }
        #expect(plainServer.accessLog().filter { $0.path.lowercased().contains("absent.pdb") }.count == asked)
    }

    /// 32 readers of one uncached file: its bytes cross the network once (fuse-notes T8).
    @Test func concurrentReadersShareOneDownload() throws {
        let mount = try mount()
        let file = served(by: fixture.flat).max { $0.bytes.count < $1.bytes.count }!
        let path = storePath(mount, file)
        var status = stat()
        #expect(stat(path, &status) == 0)
        let matches = Counter()
        let expected = file.bytes
        #expect(runOnThreads(32) { _ in
            if (try? Data(contentsOf: URL(fileURLWithPath: path))) == expected { matches.increment() }
        })
        #expect(matches.value == 32)
        let lines = plainServer.accessLog().filter { $0.path.hasSuffix("/\(file.name)") && $0.method == "GET" }
        #expect(lines.reduce(0) { $0 + $1.bytes } == file.bytes.count, "\(lines)")
        // The lookup's probe (the first 4 KiB, kept) and one GET for the rest, however many readers.
        #expect(lines.count == 2, "\(lines)")
        #expect(lines.first?.range == "bytes=0-4095", "\(lines)")
    }
}

/// Waits (bounded) until `path` exists.
func waitForFile(_ path: String, seconds: Double = 10) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !FileManager.default.fileExists(atPath: path), Date() < deadline { usleep(10_000) }
    return FileManager.default.fileExists(atPath: path)
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
