import Foundation
import Testing
import TestSupport
@testable import SymbolStore
@testable import SymbolFormats

/// CAB-compressed `name_` files (spec §2.3) served decompressed: decompressed once, into the cache the path
/// names (spec §1.1 "Cascading details": uncompressed only in the leftmost store; the default downstream store
/// when the only store holds the compressed file), atomically (spec §3.6, §7 #4).
@Suite struct CompressedResolutionTests {
    let samples = Samples.shared

    private func compressedStore(_ samples: [SampleFile], at root: String, scratch: String) throws {
        for sample in samples {
            let cabinet = try StoreWriter.cabinet(of: sample, in: scratch)
            try StoreWriter.place(cabinet, at: root, "\(sample.name)/\(sample.key)/\((cabinet as NSString).lastPathComponent)")
        }
    }

    @Test func decompressesIntoTheLeftmostStoreAndKeepsCompressedCopiesInTheMiddle() throws {
        let temporary = try TemporaryDirectory()
        let (d1, d2, upstream) = (temporary.path + "/d1", temporary.path + "/d2", temporary.path + "/up")
        try compressedStore([samples.alphaPDB, samples.betaImage], at: upstream, scratch: temporary.path)
        let resolver = try makeResolver("srv*\(d1)*\(d2)*\(upstream)", downstream: temporary.path + "/d")
        for sample in [samples.alphaPDB, samples.betaImage] {
            let location = try #require(try resolver.locate(SymbolRequest(name: sample.name.uppercased(), key: sample.key)))
            #expect(location.size == UInt64(sample.bytes.count))
            guard case .compressed = location.form else {
                Issue.record("expected a compressed form, got \(location.form)")
                continue
            }
            let opened = try resolver.open(location)
            #expect(opened.path == "\(d1)/\(sample.name)/\(sample.key)/\(sample.name)")
            #expect(opened.size == UInt64(sample.bytes.count))
            #expect(ReadBack.contents(opened) == sample.bytes)
            let midLevel = "\(d2)/\(sample.name)/\(sample.key)/\(String(sample.name.dropLast()))_"
            #expect(LocalFileSystem.readPrefix(midLevel, limit: 4) == Cabinet.magic)
            #expect(!FileManager.default.fileExists(atPath: "\(d2)/\(sample.name)/\(sample.key)/\(sample.name)"))
        }
        #expect(resolver.statistics.decompressions == 2)
        // the next lookup finds the decompressed copy in the leftmost store
        #expect(try resolver.locate(samples.alphaPDB.request)?.form
            == .file(path: "\(d1)/alpha.pdb/\(samples.alphaPDB.key)/alpha.pdb"))
        #expect(!FileManager.default.fileExists(atPath: temporary.path + "/d"))
    }

    /// ZIP `name_` files as `symstore /compress ZIP` makes them: decompressed into the leftmost store, kept
    /// compressed in the middle, as cabinets are.
    @Test(arguments: StoreWriter.ZipForm.allCases)
    func zipCompressedFilesAreServedDecompressed(form: StoreWriter.ZipForm) throws {
        let temporary = try TemporaryDirectory()
        let (d1, d2, upstream) = (temporary.path + "/d1", temporary.path + "/d2", temporary.path + "/up")
        let sample = samples.betaPDB
        let zip = try StoreWriter.zip(of: sample, in: temporary.path, form: form)
        try StoreWriter.place(zip, at: upstream, "\(sample.name)/\(sample.key)/beta.pd_")
        let resolver = try makeResolver("srv*\(d1)*\(d2)*\(upstream)", downstream: temporary.path + "/d")
        let (data, location) = try #require(try ReadBack.fetch(resolver, sample.request))
        #expect(location.size == UInt64(sample.bytes.count))
        #expect(data == sample.bytes)
        #expect(FileManager.default.contents(atPath: "\(d1)/\(sample.name)/\(sample.key)/\(sample.name)") == sample.bytes)
        #expect(FileManager.default.contents(atPath: "\(d2)/\(sample.name)/\(sample.key)/beta.pd_")
            == FileManager.default.contents(atPath: zip))
        #expect(resolver.statistics.decompressions == 1)
    }

    /// Under its own name, a file that starts like an archive but is not a one-file archive (a `.nupkg`, a
    /// multi-file `.cab`) is served as it is; its name promises no key, so none is asked of it.
    @Test func aMultiFileArchiveUnderItsOwnNameIsServedAsItIs() throws {
        let temporary = try TemporaryDirectory()
        let bundle = temporary.path + "/bundle.nupkg"
        try runChecked("zip", ["-q", "-j", bundle, samples.alphaPDB.path, samples.betaPDB.path])
        let request = SymbolRequest(name: "bundle.nupkg", key: "0123456789ABCDEF0123456789ABCDEF1")
        try StoreWriter.place(bundle, at: temporary.path + "/store", "bundle.nupkg/\(request.key)/bundle.nupkg")
        let resolver = try makeResolver("srv*\(temporary.path)/cache*\(temporary.path)/store", downstream: temporary.path + "/d")
        let (data, location) = try #require(try ReadBack.fetch(resolver, request))
        #expect(data == FileManager.default.contents(atPath: bundle))
        #expect(location.size == UInt64(data.count))
        #expect(FileManager.default.contents(atPath: "\(temporary.path)/cache/bundle.nupkg/\(request.key)/bundle.nupkg") == data)
    }

    /// A ZIP whose member is not the file its key names never reaches a cache.
    @Test func aZipHoldingTheWrongFileIsNotCached() throws {
        let temporary = try TemporaryDirectory()
        let (cache, upstream) = (temporary.path + "/cache", temporary.path + "/up")
        let zip = try StoreWriter.zip(of: samples.alphaPDB, in: temporary.path)
        let sample = samples.betaPDB
        try StoreWriter.place(zip, at: upstream, "\(sample.name)/\(sample.key)/beta.pd_")
        let resolver = try makeResolver("srv*\(cache)*\(upstream)", downstream: temporary.path + "/d")
        #expect(throws: SymbolStoreError.self) { _ = try ReadBack.fetch(resolver, sample.request) }
        let files = try run("find", [temporary.path + "/cache", temporary.path + "/d", "-type", "f"]).standardOutput
        #expect(files.isEmpty, "\(files)")
    }

    /// A cabinet under the plain name is still a cabinet: detection by magic, not by name.
    @Test func detectsCabinetsByMagicNotName() throws {
        let temporary = try TemporaryDirectory()
        let cabinet = try StoreWriter.cabinet(of: samples.betaPDB, in: temporary.path)
        try StoreWriter.place(cabinet, at: temporary.path + "/store", "beta.pdb/\(samples.betaPDB.key)/beta.pdb")
        let resolver = try makeResolver("srv*\(temporary.path)/cache*\(temporary.path)/store", downstream: temporary.path + "/d")
        let (data, location) = try #require(try ReadBack.fetch(resolver, samples.betaPDB.request))
        #expect(location.size == UInt64(samples.betaPDB.bytes.count))
        #expect(data == samples.betaPDB.bytes)
    }

    /// spec §1.1: when the only store holds the compressed file it is decompressed into the default
    /// downstream store.
    @Test func aLoneCompressedStoreUsesTheDefaultDownstreamStore() throws {
        let temporary = try TemporaryDirectory()
        let downstream = temporary.path + "/home/sym"
        try compressedStore([samples.alphaImage], at: temporary.path + "/store", scratch: temporary.path)
        let resolver = try makeResolver("srv*\(temporary.path)/store", downstream: downstream)
        let opened = try resolver.open(try #require(try resolver.locate(samples.alphaImage.request)))
        #expect(opened.path == "\(downstream)/alpha.exe/\(samples.alphaImage.key)/alpha.exe")
        #expect(ReadBack.contents(opened) == samples.alphaImage.bytes)
    }

    /// A `cache*` left of a plain-compressed hit receives the decompressed file.
    @Test func aCacheLeftOfTheHitReceivesTheDecompressedFile() throws {
        let temporary = try TemporaryDirectory()
        let cache = temporary.path + "/cache"
        try compressedStore([samples.betaPDB], at: temporary.path + "/store", scratch: temporary.path)
        let resolver = try makeResolver(
            "cache*\(cache);srv*\(temporary.path)/mid*\(temporary.path)/store", downstream: temporary.path + "/d")
        let opened = try resolver.open(try #require(try resolver.locate(samples.betaPDB.request)))
        #expect(opened.path == "\(cache)/beta.pdb/\(samples.betaPDB.key)/beta.pdb")
        #expect(ReadBack.contents(opened) == samples.betaPDB.bytes)
        #expect(LocalFileSystem.readPrefix("\(temporary.path)/mid/beta.pdb/\(samples.betaPDB.key)/beta.pd_", limit: 4) == Cabinet.magic)
    }

    /// 16 concurrent opens of one compressed file decompress it once: one decompression, one inode, no
    /// temporary files left.
    @Test func concurrentOpensDecompressOnce() async throws {
        let temporary = try TemporaryDirectory()
        let cache = temporary.path + "/cache"
        try compressedStore([samples.alphaPDB], at: temporary.path + "/store", scratch: temporary.path)
        let resolver = try makeResolver("srv*\(cache)*\(temporary.path)/store", downstream: temporary.path + "/d")
        let location = try #require(try resolver.locate(samples.alphaPDB.request))
        let results = try await withThrowingTaskGroup(of: (UInt64, Data).self) { group in
            for _ in 0..<16 {
                group.addTask {
                    let opened = try resolver.open(location)
                    var info = stat()
                    fstat(opened.descriptor, &info)
                    return (UInt64(info.st_ino), ReadBack.contents(opened))
                }
            }
            var all: [(UInt64, Data)] = []
            for try await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 16)
        #expect(Set(results.map(\.0)).count == 1)
        #expect(results.allSatisfy { $0.1 == samples.alphaPDB.bytes })
        #expect(resolver.statistics.decompressions == 1)
        #expect(ReadBack.files(under: cache) == ["alpha.pdb/\(samples.alphaPDB.key)/alpha.pdb"])
    }

    /// A corrupt cabinet is an error (EIO) and leaves nothing in the cache (spec §7 #4: caches never lie).
    @Test func corruptCabinetsFailWithEIOAndLeaveNothing() throws {
        let temporary = try TemporaryDirectory()
        let cache = temporary.path + "/cache"
        let store = temporary.path + "/store"
        try compressedStore([samples.alphaPDB], at: store, scratch: temporary.path)
        let cabinetPath = "\(store)/alpha.pdb/\(samples.alphaPDB.key)/alpha.pd_"
        // Cut the data blocks short: the headers (and the size) still read, decompression fails.
        let whole = try #require(FileManager.default.contents(atPath: cabinetPath))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: cabinetPath))
        let resolver = try makeResolver("cache*\(cache);srv*\(store)", downstream: temporary.path + "/d")
        let location = try #require(try resolver.locate(samples.alphaPDB.request))
        #expect(location.size == UInt64(samples.alphaPDB.bytes.count))
        let error = #expect(throws: SymbolStoreError.self) { try resolver.open(location) }
        #expect(error?.kind == .corruptArchive)
        #expect(error?.detail.contains(cabinetPath) == true)
        #expect(ReadBack.files(under: cache).isEmpty)
        #expect(ReadBack.files(under: temporary.path + "/d").isEmpty)
        #expect((try? FileManager.default.contentsOfDirectory(atPath: cache))?.isEmpty ?? true)

        // Corrupt headers fail already at lookup.
        try Data("MSCF garbage that is no cabinet header at all".utf8).write(to: URL(fileURLWithPath: cabinetPath))
        let headerError = #expect(throws: SymbolStoreError.self) { try resolver.locate(samples.alphaPDB.request) }
        #expect(headerError?.kind == .corruptArchive)
    }

    /// A full cache: ENOSPC is passed through when nothing can hold the decompressed file, and no partial
    /// file is left; a plain file is then served from where it was found.
    @Test(.enabled(if: getuid() == 0, "needs root to mount a small tmpfs"))
    func fullCachesReportENOSPCAndLeaveNothing() throws {
        let temporary = try TemporaryDirectory()
        let cache = temporary.path + "/tiny"
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        let mount = try run("mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", cache])
        try #require(mount.status == 0, "mount failed: \(mount.standardError)")
        defer { _ = try? run("umount", [cache]) }
        let store = temporary.path + "/store"
        try compressedStore([samples.alphaPDB], at: store, scratch: temporary.path)
        try StoreWriter.symstore([samples.betaPDB], at: temporary.path + "/plain-store")
        let resolver = try makeResolver(
            "cache*\(cache);srv*\(store);srv*\(temporary.path)/plain-store", downstream: temporary.path + "/d")
        let location = try #require(try resolver.locate(samples.alphaPDB.request))
        let error = #expect(throws: SymbolStoreError.self) { try resolver.open(location) }
        #expect(error?.kind == .noSpace)
        #expect(ReadBack.files(under: cache).isEmpty)
        // nor empty folders that listings would show
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache).isEmpty)
        #expect(try resolver.names() == ["alpha.pdb", "beta.pdb"])

        let plain = try resolver.open(try #require(try resolver.locate(samples.betaPDB.request)))
        #expect(plain.path.hasPrefix(temporary.path + "/plain-store/"))
        #expect(ReadBack.contents(plain) == samples.betaPDB.bytes)
        #expect(ReadBack.files(under: cache).isEmpty)
    }

    /// A compressed file behind a `file.ptr` (the target is a cabinet) is served decompressed too.
    @Test func pointersToCabinetsAreDecompressed() throws {
        let temporary = try TemporaryDirectory()
        let cabinet = try StoreWriter.cabinet(of: samples.alphaPDB, in: temporary.path)
        try StoreWriter.write("PATH:\(cabinet)", at: temporary.path + "/store", "alpha.pdb/\(samples.alphaPDB.key)/file.ptr")
        let resolver = try makeResolver("srv*\(temporary.path)/c*\(temporary.path)/store", downstream: temporary.path + "/d")
        let (data, location) = try #require(try ReadBack.fetch(resolver, samples.alphaPDB.request))
        #expect(location.size == UInt64(samples.alphaPDB.bytes.count))
        #expect(data == samples.alphaPDB.bytes)
        #expect(FileManager.default.fileExists(atPath: "\(temporary.path)/c/alpha.pdb/\(samples.alphaPDB.key)/alpha.pdb"))
    }
}
