import Foundation
import Testing
import TestSupport
@testable import SymbolStore

/// Scanning and pruning hand-made caches whose files carry set times: AgeStore's limits, whole key directories,
/// what is never touched, leftovers of killed writers, and what happens beside writers and readers.
@Suite struct CachePrunerTests {
    static let day: Int64 = 86_400
    let now = Int64(time(nil))

    /// A cache of `name{i}.pdb/ABCDEF0{i}/name{i}.pdb` files of `bytes[i]` bytes, last used `ages[i]` days ago.
    func cache(ages: [Int64], bytes: [Int], in directory: TemporaryDirectory) throws -> String {
        let root = directory.path + "/cache"
        for (index, (age, size)) in zip(ages, bytes).enumerated() {
            let file = try place("name\(index).pdb/ABCDEF0\(index)/name\(index).pdb", size: size, in: root)
            try setTimes(file, atime: now - age * Self.day, mtime: now - age * Self.day)
        }
        FileManager.default.createFile(atPath: root + "/pingme.txt", contents: Data())
        return root
    }

    @discardableResult
    func place(_ relative: String, size: Int, in root: String) throws -> String {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: path, contents: Data(repeating: 7, count: size))
        return path
    }

    func setTimes(_ path: String, atime: Int64, mtime: Int64) throws {
        var times = [timespec(tv_sec: Int(atime), tv_nsec: 0), timespec(tv_sec: Int(mtime), tv_nsec: 0)]
        try #require(utimensat(AT_FDCWD, path, &times, 0) == 0)
    }

    func keyDirectories(_ root: String) throws -> [String] {
        try CacheScan.scan(root).keyDirectories.map(\.relativePath).sorted()
    }

    @Test func theScanSumsSizesAndTakesTheLaterOfAtimeAndMtime() throws {
        let directory = try TemporaryDirectory("symfs-prune")
        let root = try cache(ages: [10], bytes: [1000], in: directory)
        try place("name0.pdb/ABCDEF00/refs.ptr", size: 24, in: root)
        try place("name0.pdb/ABCDEF00/msfz0/name0.pdb", size: 500, in: root)
        let file = root + "/name0.pdb/ABCDEF00/name0.pdb"
        try setTimes(file, atime: now - 2 * Self.day, mtime: now - 30 * Self.day)
        try setTimes(root + "/name0.pdb/ABCDEF00/refs.ptr", atime: now - 40 * Self.day, mtime: now - 40 * Self.day)
        try setTimes(root + "/name0.pdb/ABCDEF00/msfz0/name0.pdb", atime: now - 40 * Self.day, mtime: now - 40 * Self.day)
        let scan = try CacheScan.scan(root)
        #expect(scan.keyDirectories.count == 1)
        #expect(scan.keyDirectories.first?.bytes == 1524)
        #expect(scan.keyDirectories.first?.lastUse == now - 2 * Self.day)
    }

    @Test func daysRemovesWhatWasLastUsedBeforeTheCutoffAndKeepsTheRest() throws {
        let directory = try TemporaryDirectory("symfs-prune")
        let root = try cache(ages: [1, 5, 20, 40], bytes: [10, 10, 10, 10], in: directory)
        let scan = try CacheScan.scan(root)
        let chosen = CachePruner.plan(scan, limits: [.usedSince(now - 10 * Self.day)])
        #expect(chosen.map(\.relativePath) == ["name3.pdb/ABCDEF03", "name2.pdb/ABCDEF02"])
        let report = CachePruner().prune(scan, removing: chosen)
        #expect(report.removed.count == 2 && report.removedBytes == 20 && report.keptBytes == 20 && report.kept == 2)
        #expect(try keyDirectories(root) == ["name0.pdb/ABCDEF00", "name1.pdb/ABCDEF01"])
        // Empty name directories went too; pingme.txt stays.
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).sorted() == ["name0.pdb", "name1.pdb", "pingme.txt"])
    }

    @Test func sizeRemovesLeastRecentlyUsedFirstUntilTheTotalFits() throws {
        let directory = try TemporaryDirectory("symfs-prune")
        let root = try cache(ages: [3, 1, 4, 2], bytes: [100, 200, 300, 400], in: directory)
        let scan = try CacheScan.scan(root)
        #expect(scan.totalBytes == 1000)
        // Oldest first: name2 (4 days, 300), name0 (3 days, 100), then 600 left fits 650.
        let chosen = CachePruner.plan(scan, limits: [.totalBytes(650)])
        #expect(chosen.map(\.relativePath) == ["name2.pdb/ABCDEF02", "name0.pdb/ABCDEF00"])
        CachePruner().prune(scan, removing: chosen)
        #expect(try keyDirectories(root) == ["name1.pdb/ABCDEF01", "name3.pdb/ABCDEF03"])
        #expect(try CacheScan.scan(root).totalBytes == 600)
        #expect(CachePruner.plan(try CacheScan.scan(root), limits: [.totalBytes(600)]).isEmpty)
        // Both limits: either removes.
        let both = CachePruner.plan(try CacheScan.scan(root), limits: [.totalBytes(10_000), .usedSince(now - Self.day - 60)])
        #expect(both.map(\.relativePath) == ["name3.pdb/ABCDEF03"])
    }

    @Test func keepEmptyDirectoriesLeavesNameFolders() throws {
        let directory = try TemporaryDirectory("symfs-prune")
        let root = try cache(ages: [9], bytes: [10], in: directory)
        let scan = try CacheScan.scan(root)
        var pruner = CachePruner()
        pruner.keepEmptyDirectories = true
        pruner.prune(scan, removing: CachePruner.plan(scan, limits: [.totalBytes(0)]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/name0.pdb").isEmpty)
    }

    @Test func twoTierCachesArePrunedThroughTheirPrefixFolders() throws {
        let directory = try TemporaryDirectory("symfs-prune")
        let root = directory.path + "/cache"
        try place("index2.txt", size: 0, in: root)
        let old = try place("na/name.pdb/ABCDEF01/name.pdb", size: 50, in: root)
        try place("ot/other.pdb/ABCDEF02/other.pdb", size: 50, in: root)
        try setTimes(old, atime: now - 9 * Self.day, mtime: now - 9 * Self.day)
        let scan = try CacheScan.scan(root)
        #expect(scan.keyDirectories.map(\.relativePath).sorted() == ["na/name.pdb/ABCDEF01", "ot/other.pdb/ABCDEF02"])
        CachePruner().prune(scan, removing: CachePruner.plan(scan, limits: [.usedSince(now - Self.day)]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).sorted() == ["index2.txt", "ot"])
    }

    @Test func aStoreWith000AdminIsRefusedAndNothingIsRemoved() throws {
        let directory = try TemporaryDirectory("symfs-prune")
        let root = try cache(ages: [30], bytes: [10], in: directory)
        try FileManager.default.createDirectory(atPath: root + "/000Admin", withIntermediateDirectories: true)
        #expect { try CacheScan.scan(root) } throws: { ($0 as? SymbolStoreError)?.detail.contains("000Admin") == true }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/name0.pdb") == ["ABCDEF00"])
    }

    @Test func foldersThatAreNotKeysAreNeverPruned() throws {
        let directory = try TemporaryDirectory("symfs-prune")
        let root = try cache(ages: [30], bytes: [10], in: directory)
        let other = try place("apt/archives/package.deb", size: 10, in: root)
        try setTimes(other, atime: now - 90 * Self.day, mtime: now - 90 * Self.day)
        let scan = try CacheScan.scan(root)
        #expect(scan.keyDirectories.map(\.relativePath) == ["name0.pdb/ABCDEF00"])
        CachePruner().prune(scan, removing: CachePruner.plan(scan, limits: [.totalBytes(0)]))
        #expect(FileManager.default.fileExists(atPath: other))
    }

    @Test func aMissingDirectoryOrAFileIsAnError() throws {
        let directory = try TemporaryDirectory("symfs-prune")
        #expect(throws: SymbolStoreError.self) { try CacheScan.scan(directory.path + "/absent") }
        FileManager.default.createFile(atPath: directory.path + "/file", contents: Data())
        #expect(throws: SymbolStoreError.self) { try CacheScan.scan(directory.path + "/file") }
    }

    @Test func leftoversOfStoppedWritersGoAndALiveWritersTemporaryKeepsItsFolder() throws {
        let directory = try TemporaryDirectory("symfs-prune")
        let root = try cache(ages: [30, 30], bytes: [10, 10], in: directory)
        let gone = try stoppedProcess()
        try place("name0.pdb/ABCDEF00/.symfs-tmp-\(gone)-abc", size: 5, in: root)
        try place(".symfs-tmp-downloads/\(gone)/x", size: 5, in: root)
        try place("name1.pdb/ABCDEF01/.symfs-tmp-\(getpid())-live", size: 5, in: root)
        let scan = try CacheScan.scan(root)
        #expect(scan.leftovers.sorted() == [".symfs-tmp-downloads/\(gone)", "name0.pdb/ABCDEF00/.symfs-tmp-\(gone)-abc"])
        let report = CachePruner().prune(scan, removing: CachePruner.plan(scan, limits: [.totalBytes(0)]))
        #expect(report.leftovers.count == 2)
        #expect(report.removed.map(\.relativePath) == ["name0.pdb/ABCDEF00"])
        #expect(report.skipped.isEmpty, "a folder being written is not even chosen")
        // The live writer's folder keeps its file and its temporary: never a key directory without its file.
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/name1.pdb/ABCDEF01").sorted()
            == [".symfs-tmp-\(getpid())-live", "name1.pdb"])
        #expect(!FileManager.default.fileExists(atPath: root + "/.symfs-tmp-downloads/\(gone)"))
    }

    @Test func aFileUsedAfterTheScanStays() throws {
        let directory = try TemporaryDirectory("symfs-prune")
        let root = try cache(ages: [30, 30], bytes: [10, 10], in: directory)
        let scan = try CacheScan.scan(root)
        let chosen = CachePruner.plan(scan, limits: [.totalBytes(0)])
        // A mount opens name1 between the scan and the removal: its use is recorded on the file.
        let descriptor = open(root + "/name1.pdb/ABCDEF01/name1.pdb", O_RDONLY)
        UseRecord.recordUse(of: descriptor, now: now)
        close(descriptor)
        let report = CachePruner().prune(scan, removing: chosen)
        #expect(report.removed.map(\.relativePath) == ["name0.pdb/ABCDEF00"])
        #expect(report.skipped.first?.reason.contains("since the scan") == true)
        #expect(try keyDirectories(root) == ["name1.pdb/ABCDEF01"])
    }

    /// A name folder swapped for a symbolic link between the scan and the removal (someone who may write to the
    /// cache, racing a prune run by root) steers nothing out of the cache: the folder it points at keeps its
    /// key folder, and leftovers are not followed through links either.
    @Test func aFolderSwappedForALinkAfterTheScanIsNotFollowed() throws {
        let directory = try TemporaryDirectory("symfs-prune")
        let root = try cache(ages: [30, 30], bytes: [10, 10], in: directory)
        let victim = directory.path + "/victim"
        try place("ABCDEF00/precious", size: 5, in: victim)
        try place(".symfs-tmp-1-gone/precious", size: 5, in: victim)
        let scan = try CacheScan.scan(root)
        let chosen = CachePruner.plan(scan, limits: [.totalBytes(0)])
        try FileManager.default.moveItem(atPath: root + "/name0.pdb", toPath: directory.path + "/moved")
        try FileManager.default.createSymbolicLink(atPath: root + "/name0.pdb", withDestinationPath: victim)
        var swapped = scan
        swapped.leftovers = ["name0.pdb/.symfs-tmp-1-gone"]
        let report = CachePruner().prune(swapped, removing: chosen)
        #expect(report.removed.map(\.relativePath) == ["name1.pdb/ABCDEF01"])
        #expect(report.skipped.map(\.relativePath) == ["name0.pdb/ABCDEF00"], "\(report.skipped)")
        #expect(report.leftovers.isEmpty)
        #expect(FileManager.default.fileExists(atPath: victim + "/ABCDEF00/precious"))
        #expect(FileManager.default.fileExists(atPath: victim + "/.symfs-tmp-1-gone/precious"))
    }

    @Test func aFileOpenElsewhereStaysReadableToItsHolder() throws {
        let directory = try TemporaryDirectory("symfs-prune")
        let root = try cache(ages: [30], bytes: [3000], in: directory)
        let handle = try #require(FileHandle(forReadingAtPath: root + "/name0.pdb/ABCDEF00/name0.pdb"))
        let scan = try CacheScan.scan(root)
        CachePruner().prune(scan, removing: CachePruner.plan(scan, limits: [.totalBytes(0)]))
        #expect(try keyDirectories(root).isEmpty)
        #expect(handle.readDataToEndOfFile() == Data(repeating: 7, count: 3000))
    }

    @Test func useIsRecordedAtMostOnceAnHourJudgedFromTheFile() throws {
        let directory = try TemporaryDirectory("symfs-prune")
        let root = try cache(ages: [0], bytes: [10], in: directory)
        let path = root + "/name0.pdb/ABCDEF00/name0.pdb"
        func lastUse() -> Int64 {
            var info = stat()
            stat(path, &info)
            return UseRecord.lastUse(info)
        }
        try setTimes(path, atime: now - 1800, mtime: now - 1800)
        var descriptor = open(path, O_RDONLY)
        UseRecord.recordUse(of: descriptor, now: now)
        close(descriptor)
        #expect(lastUse() == now - 1800, "a use half an hour after the last is not written")
        try setTimes(path, atime: now - 7200, mtime: now - 9000)
        descriptor = open(path, O_RDONLY)
        UseRecord.recordUse(of: descriptor, now: now)
        close(descriptor)
        #expect(lastUse() >= now - 5, "a use two hours after the last is written")
        var info = stat()
        stat(path, &info)
        #expect(Int64(info.st_mtim.tv_sec) == now - 9000, "the mtime is left as it was")
    }

    /// The pid of a process that has exited.
    func stoppedProcess() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }
}
