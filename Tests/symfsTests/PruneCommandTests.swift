import Foundation
import Testing
import TestSupport

/// `symfs prune` and `--cache-max-size` as an operator meets them: bad input refused with nothing removed, the
/// order of removal decided by opens through a mount even on a `noatime` file system, pruned files fetched again
/// through the running mount, and a mount over nginx whose cache stays under its bound.
@Suite(.serialized)
struct PruneCommandTests {
    static let names = ["dummyprog.exe", "dummylib.dll", "dummyprog.pdb", "dummylib.pdb", "bigage.pdb"]

    static func fixtures() throws -> [ServeCommandTests.Fixture] {
        try names.map { try ServeCommandTests.fixture(ServeCommandTests.binaries + "/" + $0) }
    }

    /// A store holding every fixture, as PyPI symstore lays one out.
    static func upstream(at root: String) throws -> [ServeCommandTests.Fixture] {
        let files = try fixtures()
        for file in files { try StoreWriter.place(file.path, at: root, file.storePath) }
        return files
    }

    static func prune(_ arguments: [String]) throws -> CommandResult {
        try run(Executables.symfs, ["prune"] + arguments)
    }

    static func setTimes(_ path: String, daysAgo: Int) {
        let seconds = Int(time(nil)) - daysAgo * 86_400
        var times = [timespec(tv_sec: seconds, tv_nsec: 0), timespec(tv_sec: seconds, tv_nsec: 0)]
        utimensat(AT_FDCWD, path, &times, 0)
    }

    static func cachedFiles(_ cache: String) -> [String] {
        ReadBack.files(under: cache).filter { !$0.hasPrefix(".") && $0 != "pingme.txt" }.sorted()
    }

    static func cachedBytes(_ cache: String) -> Int {
        cachedFiles(cache).reduce(0) { $0 + ServeCommandTests.size(cache + "/" + $1) }
    }

    @Test("Bad input is a clear error that removes nothing; --list gives the total; --size and --days remove")
    func commandLine() throws {
        let directory = try TemporaryDirectory("symfs-prune-cli")
        let cache = directory.path + "/cache"
        let files = try Self.upstream(at: cache)
        let before = Self.cachedFiles(cache)
        let total = Self.cachedBytes(cache)
        let file = directory.path + "/plain-file"
        FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
        let admin = directory.path + "/managed"
        try runChecked(Executables.symfs, ["add", "-s", admin, "--quiet", files[0].path])
        let refused: [([String], String)] = [
            ([cache], "give --days, --date or --size"),
            ([directory.path + "/absent", "--size", "1"], "No such file"),
            ([file, "--size", "1"], "not a directory"),
            ([cache, "--days=-3"], "--days"),
            ([cache, "--size", "-5"], "--size"),
            ([cache, "--size", "12Q"], "--size"),
            ([cache, "--date", "2026-13-01"], "--date"),
            ([cache, "--date", "yesterday"], "--date"),
            ([admin, "--size", "0"], "000Admin"),
        ]
        for (arguments, message) in refused {
            let result = try Self.prune(arguments)
            #expect(result.status != 0 && result.standardError.contains(message), "\(arguments): \(result.status) \(result.standardError)")
        }
        #expect(Self.cachedFiles(cache) == before, "a refused prune removed something")
        #expect(FileManager.default.fileExists(atPath: admin + "/" + files[0].storePath))

        let listed = try runChecked(Executables.symfs, ["prune", cache, "--list"]).standardOutput
        #expect(listed.contains("\(files.count) key directories, \(total) bytes"), "\(listed)")
        for (index, file) in files.enumerated() {
            Self.setTimes(cache + "/" + file.storePath, daysAgo: 10 + 2 * index)
        }
        // Oldest first: bigage.pdb (18 days) is over half the total by itself.
        let dryRun = try runChecked(Executables.symfs, ["prune", cache, "--list", "--size", String(total / 2)]).standardOutput
        #expect(dryRun.hasPrefix("bigage.pdb/"), "\(dryRun)")
        #expect(Self.cachedFiles(cache) == before, "--list removed something")
        let pruned = try runChecked(Executables.symfs, ["prune", cache, "--size", String(total / 2)]).standardOutput
        #expect(pruned.contains("removed bigage.pdb/"), "\(pruned)")
        #expect(Self.cachedBytes(cache) <= total / 2 && Self.cachedFiles(cache).count == files.count - 1)
        try runChecked(Executables.symfs, ["prune", cache, "--days", "13", "--quiet"])
        #expect(Self.cachedFiles(cache) == [files[0].storePath, files[1].storePath].sorted(), "\(Self.cachedFiles(cache))")
        try runChecked(Executables.symfs, ["prune", cache, "--date", "2999-01-01", "--keep-empty-dirs", "--quiet"])
        #expect(Self.cachedFiles(cache).isEmpty)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: cache)).isSuperset(of: [files[0].name, files[1].name]))
    }

    @Test("On a noatime tmpfs, an open through the mount decides what --size keeps; a pruned file reads again")
    func opensDecideWhatStays() throws {
        let directory = try TemporaryDirectory("symfs-prune-noatime")
        let volume = directory.path + "/volume"
        try FileManager.default.createDirectory(atPath: volume, withIntermediateDirectories: true)
        try runChecked("mount", ["-t", "tmpfs", "-o", "noatime,size=64m", "tmpfs", volume])
        defer { _ = try? run("umount", ["-l", volume]) }
        let cache = volume + "/cache"
        let files = try Self.upstream(at: directory.path + "/upstream")
        let mount = try SymfsMount(symbolPath: "srv*\(cache)*\(directory.path)/upstream")
        defer { mount.unmount() }
        for file in files {
            #expect(FileManager.default.contents(atPath: mount.path(file.storePath)) == file.bytes, "\(file.name)")
        }
        #expect(Self.cachedFiles(cache).count == files.count)
        // The oldest by its times on disk, then opened: on noatime only symfs's own record shows the open.
        let opened = try #require(files.first { $0.name == "dummylib.dll" })
        for file in files { Self.setTimes(cache + "/" + file.storePath, daysAgo: file.name == opened.name ? 30 : 5) }
        #expect(FileManager.default.contents(atPath: mount.path(opened.storePath)) == opened.bytes)
        try runChecked(Executables.symfs, ["prune", cache, "--size", String(opened.size), "--quiet"])
        #expect(Self.cachedFiles(cache) == [opened.storePath], "\(Self.cachedFiles(cache))")
        // What was pruned reads again through the running mount, byte-identical, and is back in the cache.
        for file in files {
            #expect(FileManager.default.contents(atPath: mount.path(file.storePath)) == file.bytes, "\(file.name) after the prune")
        }
        #expect(Self.cachedFiles(cache).count == files.count, "\(Self.cachedFiles(cache))")
        #expect(!mount.log().contains("ESTALE"))
    }

    @Test("A mount with --cache-max-size over nginx: every read byte-identical, the cache kept under the bound")
    func boundedCache() throws {
        let directory = try TemporaryDirectory("symfs-prune-bound")
        let files = try Self.upstream(at: directory.path + "/upstream")
        let upstream = try NginxServer(root: directory.path + "/upstream")
        let cache = directory.path + "/cache"
        let largest = files.map(\.size).max() ?? 0
        let bound = largest + 16 * 1024  // more than any one file, less than all of them
        let mount = try SymfsMount(
            symbolPath: "srv*\(cache)*\(upstream.baseURL)", arguments: ["--cache-max-size", String(bound)])
        defer { mount.unmount() }
        var firstRoundGets = 0
        for round in 0..<2 {
            if round == 1 { firstRoundGets = upstream.accessLog().filter { $0.method == "GET" }.count }
            for file in files {
                #expect(FileManager.default.contents(atPath: mount.path(file.storePath)) == file.bytes, "\(file.name), round \(round)")
                // The bound prunes in the background: give it a moment, then the cache is under it plus one file.
                let deadline = Date() + 5
                while Self.cachedBytes(cache) > bound && Date() < deadline { usleep(20_000) }
                #expect(Self.cachedBytes(cache) <= bound + largest, "\(Self.cachedBytes(cache)) bytes cached, bound \(bound)")
            }
        }
        #expect(Self.cachedBytes(cache) <= bound, "\(Self.cachedFiles(cache))")
        #expect(mount.log().contains("pruned"), "\(mount.log().suffix(2000))")
        let gets = upstream.accessLog().filter { $0.method == "GET" }.count
        #expect(gets > firstRoundGets, "the second round read pruned files again from nginx: \(gets) GETs, \(firstRoundGets) in the first")
    }

    @Test("Two prunes in loops beside readers of a mount over nginx: every read whole, no key directory left without its file")
    func prunesBesideReaders() throws {
        let directory = try TemporaryDirectory("symfs-prune-race")
        let files = try Self.upstream(at: directory.path + "/upstream")
        let upstream = try NginxServer(root: directory.path + "/upstream")
        let cache = directory.path + "/cache"
        let mount = try SymfsMount(symbolPath: "srv*\(cache)*\(upstream.baseURL)")
        defer { mount.unmount() }
        let wrong = TestSupport.Counter()
        let failedPrunes = TestSupport.Counter()
        let finished = runOnThreads(6, timeout: 120) { index in
            if index < 2 {
                for _ in 0..<15 {
                    let result = try? Self.prune([cache, "--size", "0", "--quiet"])
                    if result?.status != 0 { failedPrunes.add() }
                }
            } else {
                for round in 0..<20 {
                    for file in files.shuffled() {
                        if FileManager.default.contents(atPath: mount.path(file.storePath)) != file.bytes { wrong.add() }
                    }
                    if round % 5 == 4 { usleep(10_000) }
                }
            }
        }
        #expect(finished)
        #expect(wrong.value == 0, "\(wrong.value) reads were not the file")
        #expect(failedPrunes.value == 0, "\(failedPrunes.value) prunes failed")
        let gets = upstream.accessLog().filter { $0.method == "GET" }.count
        #expect(gets > 2 * files.count, "\(gets) GETs: the prunes never removed what the readers then fetched again")
        // Every key directory left holds its file, and nothing else is left behind.
        for file in files {
            let keyDirectory = cache + "/" + (file.storePath as NSString).deletingLastPathComponent
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: keyDirectory) else { continue }
            #expect(entries == [file.name], "\(keyDirectory): \(entries)")
        }
        let stray = ReadBack.files(under: cache).filter { $0.contains(".symfs-tmp-") && !$0.hasPrefix(".symfs-tmp-downloads") }
        #expect(stray.isEmpty, "\(stray)")
    }
}
