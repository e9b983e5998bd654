import Foundation
import Testing
import TestSupport
@testable import SymbolStore

/// Resolution down a whole symbol path (spec §1.1, §3.1): order, caches, srv chains.
@Suite struct SymbolPathResolverTests {
    let samples = Samples.shared

    /// Every file of a symstore-written store resolves through `srv*` and reads back byte-identical.
    @Test func everyFileReadsBackByteIdentical() throws {
        let temporary = try TemporaryDirectory()
        try StoreWriter.symstore(samples.all, at: temporary.path + "/store")
        let resolver = try makeResolver("srv*\(temporary.path)/store", downstream: temporary.path + "/downstream")
        for sample in samples.all {
            let (data, location) = try #require(try ReadBack.fetch(resolver, sample.request), "\(sample.request)")
            #expect(data == sample.bytes)
            #expect(location.size == UInt64(sample.bytes.count))
            #expect(location.elementIndex == 0)
            #expect(location.storeRoot == temporary.path + "/store")
        }
        #expect(try resolver.locate(SymbolRequest(name: "alpha.pdb", key: samples.betaPDB.key)) == nil)
        #expect(try resolver.locate(SymbolRequest(name: "nothing.dll", key: "12345678abc")) == nil)
        // nothing needed copying: no downstream store was made
        #expect(!FileManager.default.fileExists(atPath: temporary.path + "/downstream"))
    }

    /// spec §2.7: the name as SymSrv sends it (upper) and keys as SSQP clients send them (lower).
    @Test func caseVariantsResolveThroughThePath() throws {
        let temporary = try TemporaryDirectory()
        try StoreWriter.symstore(samples.all, at: temporary.path + "/store")
        let resolver = try makeResolver("\(temporary.path)/nothing;srv*\(temporary.path)/store", downstream: temporary.path + "/d")
        for sample in samples.all {
            let request = SymbolRequest(name: sample.name.uppercased(), key: sample.key.lowercased())
            let (data, location) = try #require(try ReadBack.fetch(resolver, request))
            #expect(data == sample.bytes)
            #expect(location.elementIndex == 1)
        }
    }

    /// Bookkeeping (spec §2.1, §2.4, §2.5) and a cache's temporary folders are never names or keys, even in
    /// front of an HTTP server, which may hold any name.
    @Test func bookkeepingIsNeverANameOrKey() throws {
        let temporary = try TemporaryDirectory()
        let cache = temporary.path + "/cache"
        try StoreWriter.symstore([samples.alphaPDB], at: cache)
        try StoreWriter.write("partial", at: cache, ".symfs-tmp-downloads/123/part")
        let resolver = try makeResolver("srv*\(cache)*http://127.0.0.1:9", downstream: temporary.path + "/d")
        #expect(try resolver.mayHold(name: "alpha.pdb"))
        #expect(try resolver.mayHold(name: "anything.dll"))
        for name in [".symfs-tmp-downloads", "000Admin", "index2.txt", "refs.ptr", "file.ptr", "wantsptr.txt"] {
            #expect(try !resolver.mayHold(name: name), "\(name)")
            #expect(try !resolver.mayHold(name: "alpha.pdb", key: name), "\(name)")
            // Not even asked of the server (nothing listens on port 9: asking would throw).
            #expect(try resolver.locate(SymbolRequest(name: name, key: samples.alphaPDB.key)) == nil, "\(name)")
        }
    }

    /// spec §1.1: the first element that has the file wins.
    @Test func firstElementWins() throws {
        let temporary = try TemporaryDirectory()
        let alpha = samples.alphaPDB
        // Same name/key in both stores; the second copy is marked so the bytes tell them apart.
        try StoreWriter.place(alpha.path, at: temporary.path + "/first", "alpha.pdb/\(alpha.key)/alpha.pdb")
        try StoreWriter.place(alpha.path, at: temporary.path + "/second", "alpha.pdb/\(alpha.key)/alpha.pdb")
        let marked = temporary.path + "/second/alpha.pdb/\(alpha.key)/alpha.pdb"
        let handle = try #require(FileHandle(forWritingAtPath: marked))
        handle.seekToEndOfFile()
        handle.write(Data("second".utf8))
        try handle.close()
        let resolver = try makeResolver(
            "srv*\(temporary.path)/second;srv*\(temporary.path)/first", downstream: temporary.path + "/d")
        let (data, location) = try #require(try ReadBack.fetch(resolver, alpha.request))
        #expect(location.elementIndex == 0)
        #expect(data == alpha.bytes + Data("second".utf8))
        let reversed = try makeResolver(
            "srv*\(temporary.path)/first;srv*\(temporary.path)/second", downstream: temporary.path + "/d")
        #expect(try ReadBack.fetch(reversed, alpha.request)?.0 == alpha.bytes)
    }

    /// spec §1.1 `cache*dir`: a hit right of the cache is copied into it; the next lookup finds the copy.
    @Test func hitsRightOfACacheAreCopiedIntoIt() throws {
        let temporary = try TemporaryDirectory()
        let cache = temporary.path + "/cache"
        try StoreWriter.symstore([samples.alphaPDB, samples.betaImage], at: temporary.path + "/store")
        let plain = temporary.path + "/plain"
        try StoreWriter.place(samples.betaPDB.path, at: plain, "beta.pdb")
        let resolver = try makeResolver(
            "cache*\(cache);srv*\(temporary.path)/store;\(plain)", downstream: temporary.path + "/d")
        for sample in [samples.alphaPDB, samples.betaImage, samples.betaPDB] {
            let location = try #require(try resolver.locate(sample.request))
            #expect(location.elementIndex > 0)
            let opened = try resolver.open(location)
            #expect(opened.path == "\(cache)/\(sample.name)/\(sample.key)/\(sample.name)")
            #expect(ReadBack.contents(opened) == sample.bytes)
            let again = try #require(try resolver.locate(sample.request))
            #expect(again.elementIndex == 0)
            #expect(again.form == .file(path: opened.path))
            // opening the cache's own copy copies nothing more
            #expect(try resolver.open(again).path == opened.path)
        }
        #expect(resolver.statistics.copies == 3)
        #expect(ReadBack.files(under: cache).allSatisfy { !$0.contains(".symfs-tmp-") })
    }

    /// spec §1.1 cascading stores: a hit in a deeper store is copied into every store to its left and opened
    /// from the leftmost.
    @Test func srvChainsCopyIntoEveryStoreToTheLeft() throws {
        let temporary = try TemporaryDirectory()
        let (d1, d2, upstream) = (temporary.path + "/d1", temporary.path + "/d2", temporary.path + "/up")
        try StoreWriter.symstore([samples.alphaImage], at: upstream)
        // two-tier mid-level store: the copy follows its layout
        try StoreWriter.write("", at: d2, "index2.txt")
        let resolver = try makeResolver("srv*\(d1)*\(d2)*\(upstream)", downstream: temporary.path + "/d")
        let sample = samples.alphaImage
        let location = try #require(try resolver.locate(SymbolRequest(name: "ALPHA.EXE", key: sample.key)))
        #expect(location.storeRoot == upstream)
        let opened = try resolver.open(location)
        #expect(opened.path == "\(d1)/alpha.exe/\(sample.key)/alpha.exe")
        #expect(ReadBack.contents(opened) == sample.bytes)
        #expect(FileManager.default.contents(atPath: "\(d2)/al/alpha.exe/\(sample.key)/alpha.exe") == sample.bytes)
        #expect(try resolver.locate(sample.request)?.storeRoot == d1)
    }

    /// A hit in the middle store is copied only to its left.
    @Test func hitsInTheMiddleOfAChainAreCopiedLeftOnly() throws {
        let temporary = try TemporaryDirectory()
        let (d1, d2, upstream) = (temporary.path + "/d1", temporary.path + "/d2", temporary.path + "/up")
        try StoreWriter.symstore([samples.betaPDB], at: d2)
        try FileManager.default.createDirectory(atPath: upstream, withIntermediateDirectories: true)
        let resolver = try makeResolver("srv*\(d1)*\(d2)*\(upstream)", downstream: temporary.path + "/d")
        let opened = try resolver.open(try #require(try resolver.locate(samples.betaPDB.request)))
        #expect(opened.path.hasPrefix(d1 + "/"))
        #expect(ReadBack.contents(opened) == samples.betaPDB.bytes)
        #expect(ReadBack.files(under: upstream).isEmpty)
    }

    /// SymSrv skips stores it cannot write: the file is served from where it was found.
    @Test func aCacheThatCannotBeWrittenIsSkipped() throws {
        let temporary = try TemporaryDirectory()
        try StoreWriter.symstore([samples.alphaPDB], at: temporary.path + "/store")
        try StoreWriter.write("I am a file, not a directory", at: temporary.path, "blocked")
        let resolver = try makeResolver(
            "cache*\(temporary.path)/blocked;srv*\(temporary.path)/cache2*\(temporary.path)/store",
            downstream: temporary.path + "/d")
        let opened = try resolver.open(try #require(try resolver.locate(samples.alphaPDB.request)))
        #expect(opened.path.hasPrefix(temporary.path + "/cache2/"))
        #expect(ReadBack.contents(opened) == samples.alphaPDB.bytes)
        #expect(resolver.statistics.failedWrites == 1)

        let alone = try makeResolver(
            "cache*\(temporary.path)/blocked;srv*\(temporary.path)/store", downstream: temporary.path + "/d")
        let served = try alone.open(try #require(try alone.locate(samples.alphaPDB.request)))
        #expect(served.path == "\(temporary.path)/store/alpha.pdb/\(samples.alphaPDB.key)/alpha.pdb")
        #expect(ReadBack.contents(served) == samples.alphaPDB.bytes)
    }

    /// HTTP stores that cannot be reached are skipped (spec §1.1: SymSrv skips stores it cannot read); the local
    /// parts of the path still work, and a file no store has is then a failure (EIO), not a clean miss.
    @Test func pathsWithHTTPStoresStillResolveLocally() throws {
        let temporary = try TemporaryDirectory()
        try StoreWriter.symstore([samples.betaImage], at: temporary.path + "/store")
        let (down1, down2) = (try LoopbackPort.free(), try LoopbackPort.free())
        let resolver = try makeResolver(
            "srv*\(temporary.path)/c1*http://127.0.0.1:\(down1)/s;cache*\(temporary.path)/c2;"
                + "srv*\(temporary.path)/store;srv*http://127.0.0.1:\(down2)/download/symbols",
            downstream: temporary.path + "/d")
        #expect(resolver.hasRemoteStores)
        let location = try #require(try resolver.locate(samples.betaImage.request))
        #expect(location.elementIndex == 2)
        let opened = try resolver.open(location)
        #expect(opened.path.hasPrefix(temporary.path + "/c2/"))
        #expect(ReadBack.contents(opened) == samples.betaImage.bytes)
        #expect(throws: SymbolStoreError.self) { try resolver.locate(samples.alphaPDB.request) }
        #expect(try resolver.names() == ["beta.dll"])
    }

    /// Default-downstream tokens (`srv**S`, `cache*`) are the given directory.
    @Test func emptyTokensUseTheDefaultDownstreamStore() throws {
        let temporary = try TemporaryDirectory()
        let downstream = temporary.path + "/home/sym"
        try StoreWriter.symstore([samples.alphaImage], at: temporary.path + "/store")
        let resolver = try makeResolver("srv**\(temporary.path)/store", downstream: downstream)
        let opened = try resolver.open(try #require(try resolver.locate(samples.alphaImage.request)))
        #expect(opened.path == "\(downstream)/alpha.exe/\(samples.alphaImage.key)/alpha.exe")
        #expect(ReadBack.contents(opened) == samples.alphaImage.bytes)
    }

    /// File pointers: the target is copied into caches left of the store like any hit (spec §2.4).
    @Test func pointerTargetsAreCopiedIntoCaches() throws {
        let temporary = try TemporaryDirectory()
        let alpha = samples.alphaPDB
        try StoreWriter.place(alpha.path, at: temporary.path + "/share", "alpha.pdb")
        try StoreWriter.write("PATH:\(temporary.path)/share/alpha.pdb", at: temporary.path + "/store",
                              "alpha.pdb/\(alpha.key)/file.ptr")
        try StoreWriter.write("MSG: withdrawn", at: temporary.path + "/store", "beta.pdb/\(samples.betaPDB.key)/file.ptr")
        try StoreWriter.symstore([samples.betaPDB], at: temporary.path + "/later")
        let resolver = try makeResolver(
            "srv*\(temporary.path)/cache*\(temporary.path)/store;srv*\(temporary.path)/later",
            downstream: temporary.path + "/d")
        let opened = try resolver.open(try #require(try resolver.locate(alpha.request)))
        #expect(opened.path == "\(temporary.path)/cache/alpha.pdb/\(alpha.key)/alpha.pdb")
        #expect(ReadBack.contents(opened) == alpha.bytes)
        // MSG: is a miss in that store: the next element answers
        #expect(try resolver.locate(samples.betaPDB.request)?.elementIndex == 1)
    }

    /// A store with `wantsptr.txt` at its root gets the `file.ptr` a file was found through, not the file (spec
    /// §1.1 "Cascading details"); the other stores of the chain get the file, and the open reads it from there.
    @Test func storesThatWantPointersGetThePointer() throws {
        let temporary = try TemporaryDirectory()
        let alpha = samples.alphaPDB
        let (pointers, files, store) = (temporary.path + "/pointers", temporary.path + "/files", temporary.path + "/store")
        try StoreWriter.place(alpha.path, at: temporary.path + "/share", "alpha.pdb")
        let pointer = "PATH:\(temporary.path)/share/alpha.pdb\r\n"
        try StoreWriter.write(pointer, at: store, "alpha.pdb/\(alpha.key)/file.ptr")
        try StoreWriter.write("", at: pointers, "wantsptr.txt")
        try FileManager.default.createDirectory(atPath: files, withIntermediateDirectories: true)

        let resolver = try makeResolver("srv*\(pointers)*\(files)*\(store)", downstream: temporary.path + "/d")
        let opened = try resolver.open(try #require(try resolver.locate(alpha.request)))
        #expect(ReadBack.contents(opened) == alpha.bytes)
        #expect(opened.path == "\(files)/alpha.pdb/\(alpha.key)/alpha.pdb")
        #expect(try String(contentsOfFile: "\(pointers)/alpha.pdb/\(alpha.key)/file.ptr", encoding: .utf8) == pointer)
        #expect(!FileManager.default.fileExists(atPath: "\(pointers)/alpha.pdb/\(alpha.key)/alpha.pdb"))

        // Alone in front of the pointer, such a store leaves the file where the pointer says.
        let alone = try makeResolver("srv*\(temporary.path)/alone*\(store)", downstream: temporary.path + "/d")
        try StoreWriter.write("", at: temporary.path + "/alone", "wantsptr.txt")
        let direct = try alone.open(try #require(try alone.locate(alpha.request)))
        #expect(direct.path == "\(temporary.path)/share/alpha.pdb")
        #expect(ReadBack.contents(direct) == alpha.bytes)
        #expect(FileManager.default.fileExists(atPath: "\(temporary.path)/alone/alpha.pdb/\(alpha.key)/file.ptr"))
        // and the next lookup there follows its own pointer.
        #expect(try alone.locate(alpha.request)?.form
            == .pointer(pointerPath: "\(temporary.path)/alone/alpha.pdb/\(alpha.key)/file.ptr",
                        target: "\(temporary.path)/share/alpha.pdb"))
    }

    /// Traversal names and keys are rejected before touching the disk.
    @Test func traversalIsRejected() throws {
        let temporary = try TemporaryDirectory()
        try StoreWriter.symstore([samples.alphaPDB], at: temporary.path + "/store")
        let key = samples.alphaPDB.key
        let resolver = try makeResolver("srv*\(temporary.path)/store;\(temporary.path)", downstream: temporary.path + "/d")
        for request in [SymbolRequest(name: "alpha.pdb", key: "\(key)/../\(key)"),
                        SymbolRequest(name: "../store/alpha.pdb", key: key),
                        SymbolRequest(name: "..", key: ".."), SymbolRequest(name: "alpha.pdb\0", key: key),
                        SymbolRequest(name: "alpha.pdb", key: String(repeating: "A", count: 300))] {
            #expect(try resolver.locate(request) == nil, "\(request)")
        }
        #expect(try resolver.keys(of: "..").isEmpty)
        #expect(try resolver.variants(of: "alpha.pdb", key: "../x").isEmpty)
    }

    /// spec §2.6: the MSFZ form is copied into caches as `name/key/msfz0/name`.
    @Test func msfz0FilesAreCopiedAsMsfz0() throws {
        let temporary = try TemporaryDirectory()
        let alpha = samples.alphaPDB
        try StoreWriter.place(alpha.path, at: temporary.path + "/store", "alpha.pdb/\(alpha.key)/msfz0/alpha.pdb")
        let resolver = try makeResolver("cache*;srv*\(temporary.path)/store", downstream: temporary.path + "/home")
        let request = SymbolRequest(name: "Alpha.pdb", key: alpha.key.lowercased(), variant: .msfz0)
        let (data, location) = try #require(try ReadBack.fetch(resolver, request))
        #expect(location.elementIndex == 1)
        #expect(data == alpha.bytes)
        #expect(FileManager.default.contents(atPath: "\(temporary.path)/home/alpha.pdb/\(alpha.key)/msfz0/alpha.pdb") == alpha.bytes)
        #expect(try resolver.locate(request)?.elementIndex == 0)
        #expect(try resolver.locate(alpha.request) == nil)
    }
}
