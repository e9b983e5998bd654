import Foundation
import Testing
import TestSupport
@testable import SymbolStore

/// Kept listings of store directories never hide a change: a spelling, key or variant added after a listing
/// was kept is seen by the next call.
@Suite struct DirectorySnapshotsTests {
    let samples = Samples.shared

    @Test func changesAfterAKeptListingAreSeen() throws {
        let temporary = try TemporaryDirectory()
        let root = temporary.path + "/store"
        let (c1, c2) = (samples.common1, samples.common2)
        try StoreWriter.place(c1.path, at: root, "common.pdb/\(c1.key)/common.pdb")
        let store = LocalSymbolStore(root: root, options: StoreOptions())
        // Old enough to be kept: the first calls keep the root's and the name directory's listings.
        Thread.sleep(forTimeInterval: 1.2)
        #expect(store.keys(of: "COMMON.PDB") == [c1.key])
        #expect(store.variants(of: "common.pdb", key: c1.key.lowercased()) == [.plain])

        try StoreWriter.place(c2.path, at: root, "Common.Pdb/\(c2.key)/Common.Pdb")
        try StoreWriter.place(c1.path, at: root, "common.pdb/\(c1.key.lowercased())/msfz0/common.pdb")
        #expect(store.keys(of: "common.pdb") == [c1.key, c2.key].sorted())
        #expect(store.variants(of: "common.pdb", key: c1.key) == [.plain, .msfz0])
        #expect(store.variants(of: "common.pdb", key: c2.key) == [.plain])
    }
}
