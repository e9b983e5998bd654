import Foundation
import Testing
import TestSupport
@testable import SymbolStore

/// Listings union every local store, cache and plain directory of the path, merging spellings that differ only
/// in case, the first (leftmost) spelling winning (spec §2.7, §7 #3).
@Suite struct ListingTests {
    let samples = Samples.shared

    @Test func sameNamesFromSeveralStoresMerge() throws {
        let temporary = try TemporaryDirectory()
        try StoreWriter.symstore([samples.common1, samples.alphaPDB], at: temporary.path + "/one")
        try StoreWriter.symstore([samples.common2, samples.betaImage], at: temporary.path + "/two")
        #expect(samples.common1.key != samples.common2.key)
        let resolver = try makeResolver("srv*\(temporary.path)/one;srv*\(temporary.path)/two", downstream: temporary.path + "/d")
        #expect(try resolver.names() == ["alpha.pdb", "beta.dll", "common.pdb"])
        #expect(try resolver.keys(of: "common.pdb") == [samples.common1.key, samples.common2.key].sorted())
        for sample in [samples.common1, samples.common2] {
            let (data, _) = try #require(try ReadBack.fetch(resolver, sample.request))
            #expect(data == sample.bytes)
        }
    }

    @Test func caseVariantsMergeAndTheFirstSpellingWins() throws {
        let temporary = try TemporaryDirectory()
        let (c1, c2) = (samples.common1, samples.common2)
        try StoreWriter.place(c1.path, at: temporary.path + "/one", "Common.PDB/\(c1.key.lowercased())/Common.PDB")
        try StoreWriter.place(c1.path, at: temporary.path + "/two", "common.pdb/\(c1.key)/common.pdb")
        try StoreWriter.place(c2.path, at: temporary.path + "/two", "common.pdb/\(c2.key)/common.pdb")
        let resolver = try makeResolver(
            "cache*\(temporary.path)/one;srv*\(temporary.path)/two", downstream: temporary.path + "/d")
        #expect(try resolver.names() == ["Common.PDB"])
        #expect(try resolver.keys(of: "COMMON.pdb") == [c1.key.lowercased(), c2.key].sorted { $0.lowercased() < $1.lowercased() })
        #expect(try resolver.variants(of: "common.pdb", key: c2.key.lowercased()) == [.plain])

        let strict = try makeResolver(
            "cache*\(temporary.path)/one;srv*\(temporary.path)/two", downstream: temporary.path + "/d",
            caseInsensitive: false)
        #expect(try strict.names() == ["Common.PDB", "common.pdb"])
        #expect(try strict.keys(of: "common.pdb") == [c1.key, c2.key].sorted())
    }

    /// Two-tier stores list the names below their prefix folders; plain directories their keyed files;
    /// variants are unioned.
    @Test func unionsEveryKindOfElement() throws {
        let temporary = try TemporaryDirectory()
        let twoTier = temporary.path + "/two-tier"
        try StoreWriter.write("", at: twoTier, "index2.txt")
        try StoreWriter.place(samples.alphaPDB.path, at: twoTier, "al/alpha.pdb/\(samples.alphaPDB.key)/msfz0/alpha.pdb")
        try StoreWriter.symstore([samples.alphaPDB], at: temporary.path + "/flat")
        try StoreWriter.place(samples.betaImage.path, at: temporary.path + "/plain", "beta.dll")
        try StoreWriter.write("notes", at: temporary.path + "/plain", "notes.txt")
        let resolver = try makeResolver(
            "cache*\(twoTier);\(temporary.path)/plain;srv*\(temporary.path)/flat", downstream: temporary.path + "/d")
        #expect(try resolver.names() == ["alpha.pdb", "beta.dll"])
        #expect(try resolver.keys(of: "beta.dll") == [samples.betaImage.key])
        #expect(try resolver.variants(of: "alpha.pdb", key: samples.alphaPDB.key) == [.plain, .msfz0])
        #expect(try resolver.variants(of: "alpha.pdb", key: samples.betaPDB.key).isEmpty)
    }

    /// Nothing is read at construction: stores made afterwards are seen by the next listing or lookup.
    @Test func storesAreReadWhenAsked() throws {
        let temporary = try TemporaryDirectory()
        let resolver = try makeResolver("srv*\(temporary.path)/later", downstream: temporary.path + "/d")
        #expect(try resolver.names().isEmpty)
        #expect(try resolver.locate(samples.betaPDB.request) == nil)
        try StoreWriter.symstore([samples.betaPDB], at: temporary.path + "/later")
        #expect(try resolver.names() == ["beta.pdb"])
        #expect(try resolver.locate(samples.betaPDB.request) != nil)
    }

    /// Caches filled by `open` list what they got, once; temporary leftovers never show.
    @Test func cachedCopiesAreListedOnce() throws {
        let temporary = try TemporaryDirectory()
        let cache = temporary.path + "/cache"
        try StoreWriter.symstore([samples.alphaImage], at: temporary.path + "/store")
        let resolver = try makeResolver("cache*\(cache);srv*\(temporary.path)/store", downstream: temporary.path + "/d")
        _ = ReadBack.contents(try resolver.open(try #require(try resolver.locate(samples.alphaImage.request))))
        try StoreWriter.write("partial", at: cache, "alpha.exe/\(samples.alphaImage.key)/.symfs-tmp-99-zz")
        try StoreWriter.write("partial", at: cache, "ghost.pdb/ABC/.symfs-tmp-99-zz")
        #expect(try resolver.names().filter { $0 != "ghost.pdb" } == ["alpha.exe"])
        #expect(try resolver.keys(of: "alpha.exe") == [samples.alphaImage.key])
        #expect(try resolver.keys(of: "ghost.pdb").isEmpty)
    }
}
