import Foundation
import Testing
import TestSupport
@testable import SymbolStore

/// A local store as PyPI `symstore` writes it, and the hand-made variants of spec §2.1–2.6.
@Suite struct LocalSymbolStoreTests {
    let samples = Samples.shared

    private func hitPath(_ hit: StoreHit?) -> String? {
        switch hit?.form {
        case .file(let path)?, .compressed(let path)?: return path
        case .pointer(_, let target)?: return target
        case .remote?, nil: return nil
        }
    }

    /// spec §2.1: `<root>/<name>/<key>/<name>`, every file symstore wrote is found where symstore put it.
    @Test func findsEveryFileSymstoreWrote() throws {
        let temporary = try TemporaryDirectory()
        let root = temporary.path + "/store"
        let written = try StoreWriter.symstore(samples.all, at: root)
        #expect(written.count == 4)
        let store = LocalSymbolStore(root: root, options: StoreOptions())
        for sample in samples.all {
            let hit = try #require(try store.lookup(sample.request), "\(sample.request)")
            #expect(hitPath(hit) == "\(root)/\(sample.name)/\(sample.key)/\(sample.name)")
            #expect(hit.size == UInt64(sample.bytes.count))
            #expect(written.contains("\(sample.name)/\(sample.key)/\(sample.name)"))
        }
    }

    @Test func missesAreNil() throws {
        let temporary = try TemporaryDirectory()
        let root = temporary.path + "/store"
        try StoreWriter.symstore([samples.alphaPDB], at: root)
        let store = LocalSymbolStore(root: root, options: StoreOptions())
        #expect(try store.lookup(SymbolRequest(name: "alpha.pdb", key: samples.betaPDB.key)) == nil)
        #expect(try store.lookup(SymbolRequest(name: "missing.pdb", key: samples.alphaPDB.key)) == nil)
        #expect(try store.lookup(SymbolRequest(name: "alpha.pdb", key: samples.alphaPDB.key, variant: .msfz0)) == nil)
        #expect(try LocalSymbolStore(root: temporary.path + "/absent", options: StoreOptions())
            .lookup(samples.alphaPDB.request) == nil)
    }

    /// spec §2.7: `NTDLL.PDB` from SymSrv, lower-case keys from SSQP clients.
    @Test func caseVariantsResolve() throws {
        let temporary = try TemporaryDirectory()
        let root = temporary.path + "/store"
        try StoreWriter.symstore([samples.alphaPDB, samples.betaImage], at: root)
        let store = LocalSymbolStore(root: root, options: StoreOptions())
        for sample in [samples.alphaPDB, samples.betaImage] {
            for (name, key) in [(sample.name.uppercased(), sample.key), (sample.name, sample.key.lowercased()),
                                (sample.name.uppercased(), sample.key.lowercased())] {
                let hit = try store.lookup(SymbolRequest(name: name, key: key))
                #expect(hitPath(hit) == "\(root)/\(sample.name)/\(sample.key)/\(sample.name)", "\(name)/\(key)")
            }
        }
        let strict = LocalSymbolStore(root: root, options: StoreOptions(caseInsensitive: false))
        #expect(try strict.lookup(SymbolRequest(name: "ALPHA.PDB", key: samples.alphaPDB.key)) == nil)
        #expect(try strict.lookup(samples.alphaPDB.request) != nil)
    }

    /// A store written with the wrong key case (spec §7 #3: python symstore wrote lower-case PE keys) is
    /// still found from Microsoft's spelling.
    @Test func storesWithOddCaseAreFound() throws {
        let temporary = try TemporaryDirectory()
        let sample = samples.betaImage
        try StoreWriter.place(sample.path, at: temporary.path, "Beta.DLL/\(sample.key.lowercased())/Beta.DLL")
        let store = LocalSymbolStore(root: temporary.path, options: StoreOptions())
        // asked upper-case name: tries BETA.DLL, beta.dll … none is Beta.DLL on a case-sensitive disk.
        #expect(try store.lookup(sample.request) == nil)
        #expect(try store.lookup(SymbolRequest(name: "Beta.DLL", key: sample.key)) != nil)
        // listings read the directory and see it whatever the case
        #expect(store.keys(of: "beta.dll") == [sample.key.lowercased()])
        #expect(store.names() == ["Beta.DLL"])
    }

    /// spec §2.1 two-tier: `index2.txt` at the root, names below their first two characters.
    @Test func twoTierStores() throws {
        let temporary = try TemporaryDirectory()
        let root = temporary.path
        try StoreWriter.write("", at: root, "index2.txt")
        for sample in samples.all {
            try StoreWriter.place(sample.path, at: root, "\(sample.name.prefix(2))/\(sample.name)/\(sample.key)/\(sample.name)")
        }
        // Ghidra's way: lower-cased folder, here for an upper-case name.
        let upper = samples.common1
        try StoreWriter.place(upper.path, at: root, "co/COMMON.PDB/\(upper.key)/COMMON.PDB")
        let store = LocalSymbolStore(root: root, options: StoreOptions())
        for sample in samples.all {
            let hit = try #require(try store.lookup(SymbolRequest(name: sample.name.uppercased(), key: sample.key.lowercased())))
            #expect(hitPath(hit) == "\(root)/\(sample.name.prefix(2))/\(sample.name)/\(sample.key)/\(sample.name)")
        }
        #expect(try store.lookup(SymbolRequest(name: "COMMON.PDB", key: upper.key)) != nil)
        #expect(store.names() == ["alpha.exe", "alpha.pdb", "beta.dll", "beta.pdb", "COMMON.PDB"])
        // the same tree read as flat finds nothing
        try FileManager.default.removeItem(atPath: root + "/index2.txt")
        #expect(try store.lookup(samples.alphaPDB.request) == nil)
    }

    /// spec §2.4: `PATH:` followed (split on the first colon), bare paths followed, `MSG:` is a miss.
    @Test func filePointers() throws {
        let temporary = try TemporaryDirectory()
        let root = temporary.path + "/store"
        let outside = temporary.path + "/files:with:colons"
        let alpha = samples.alphaPDB
        let beta = samples.betaImage
        try StoreWriter.place(alpha.path, at: outside, "alpha.pdb")
        try StoreWriter.place(beta.path, at: outside, "beta.dll")
        try StoreWriter.write("PATH:\(outside)/alpha.pdb\r\n", at: root, "alpha.pdb/\(alpha.key)/file.ptr")
        try StoreWriter.write("\(outside)/beta.dll", at: root, "beta.dll/\(beta.key)/file.ptr")
        try StoreWriter.write("MSG: NoLongerIndexed", at: root, "beta.pdb/\(samples.betaPDB.key)/file.ptr")
        try StoreWriter.write("PATH:relative/alpha.exe", at: root, "alpha.exe/\(samples.alphaImage.key)/file.ptr")
        let store = LocalSymbolStore(root: root, options: StoreOptions())
        let hit = try #require(try store.lookup(alpha.request))
        #expect(hit.form == .pointer(pointerPath: "\(root)/alpha.pdb/\(alpha.key)/file.ptr", target: "\(outside)/alpha.pdb"))
        #expect(hit.size == UInt64(alpha.bytes.count))
        #expect(hitPath(try store.lookup(beta.request)) == "\(outside)/beta.dll")
        #expect(try store.lookup(samples.betaPDB.request) == nil)
        #expect(try store.lookup(samples.alphaImage.request) == nil)
        // listings: MSG pointers hold nothing
        #expect(store.variants(of: "alpha.pdb", key: alpha.key) == [.plain])
        #expect(store.variants(of: "beta.pdb", key: samples.betaPDB.key).isEmpty)
        #expect(store.keys(of: "beta.pdb").isEmpty)

        // allowedPointerRoots: targets elsewhere are refused
        let restricted = LocalSymbolStore(
            root: root, options: StoreOptions(allowedPointerRoots: [temporary.path + "/elsewhere"]))
        #expect(try restricted.lookup(alpha.request) == nil)
        let allowed = LocalSymbolStore(root: root, options: StoreOptions(allowedPointerRoots: [outside]))
        #expect(try allowed.lookup(alpha.request) != nil)
    }

    /// A symlink cannot smuggle an allowed-looking pointer target out of the allowed roots.
    @Test func pointerRootsAreComparedAfterResolvingLinks() throws {
        let temporary = try TemporaryDirectory()
        let root = temporary.path + "/store"
        let allowedRoot = temporary.path + "/allowed"
        let secret = temporary.path + "/secret"
        try StoreWriter.place(samples.alphaPDB.path, at: secret, "alpha.pdb")
        try FileManager.default.createDirectory(atPath: allowedRoot, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: allowedRoot + "/link", withDestinationPath: secret)
        try StoreWriter.write("PATH:\(allowedRoot)/link/alpha.pdb", at: root, "alpha.pdb/\(samples.alphaPDB.key)/file.ptr")
        let store = LocalSymbolStore(root: root, options: StoreOptions(allowedPointerRoots: [allowedRoot]))
        #expect(try store.lookup(samples.alphaPDB.request) == nil)
        let open = LocalSymbolStore(root: root, options: StoreOptions())
        #expect(try open.lookup(samples.alphaPDB.request) != nil)
    }

    /// spec §2.3: `name_` detected by the `MSCF` magic; stat size is the uncompressed length.
    @Test func compressedFilesReportTheirUncompressedSize() throws {
        let temporary = try TemporaryDirectory()
        let root = temporary.path + "/store"
        let alpha = samples.alphaPDB
        let cabinet = try StoreWriter.cabinet(of: alpha, in: temporary.path)
        try runChecked("cabextract", ["-t", cabinet])
        try StoreWriter.place(cabinet, at: root, "alpha.pdb/\(alpha.key)/alpha.pd_")
        // a `name_` that is no cabinet is skipped
        try StoreWriter.write("not a cabinet", at: root, "beta.pdb/\(samples.betaPDB.key)/beta.pd_")
        let store = LocalSymbolStore(root: root, options: StoreOptions())
        let hit = try #require(try store.lookup(alpha.request))
        #expect(hit.form == .compressed(path: "\(root)/alpha.pdb/\(alpha.key)/alpha.pd_"))
        #expect(hit.size == UInt64(alpha.bytes.count))
        #expect(try store.lookup(samples.betaPDB.request) == nil)
        #expect(store.variants(of: "ALPHA.PDB", key: alpha.key) == [.plain])
    }

    /// spec §2.6: `name/key/msfz0/name` is its own variant.
    @Test func msfz0Variant() throws {
        let temporary = try TemporaryDirectory()
        let alpha = samples.alphaPDB
        try StoreWriter.place(alpha.path, at: temporary.path, "alpha.pdb/\(alpha.key)/msfz0/alpha.pdb")
        let store = LocalSymbolStore(root: temporary.path, options: StoreOptions())
        let request = SymbolRequest(name: "alpha.pdb", key: alpha.key, variant: .msfz0)
        #expect(try store.lookup(request)?.form == .file(path: "\(temporary.path)/alpha.pdb/\(alpha.key)/msfz0/alpha.pdb"))
        #expect(try store.lookup(alpha.request) == nil)
        #expect(store.variants(of: "alpha.pdb", key: alpha.key) == [.msfz0])
        #expect(store.keys(of: "alpha.pdb") == [alpha.key])
    }

    /// Listings skip bookkeeping (`000Admin`, `pingme.txt`, `refs.ptr`, …) and leftover temporary files.
    @Test func listingsSkipBookkeeping() throws {
        let temporary = try TemporaryDirectory()
        let root = temporary.path + "/store"
        try StoreWriter.symstore(samples.all, at: root)
        try StoreWriter.write("0000000001,file,/x", at: root, "alpha.pdb/\(samples.alphaPDB.key)/refs.ptr")
        try StoreWriter.write("partial", at: root, "alpha.pdb/\(samples.betaPDB.key)/.symfs-tmp-1-x")
        try StoreWriter.write("partial", at: root, ".symfs-tmp-2-y/k/.symfs-tmp-2-y")
        let store = LocalSymbolStore(root: root, options: StoreOptions())
        #expect(store.names() == ["alpha.exe", "alpha.pdb", "beta.dll", "beta.pdb"])
        #expect(store.keys(of: "alpha.pdb") == [samples.alphaPDB.key])
        #expect(store.keys(of: "ALPHA.PDB") == [samples.alphaPDB.key])
        #expect(store.variants(of: "alpha.pdb", key: samples.alphaPDB.key.lowercased()) == [.plain])
        #expect(store.keys(of: "000Admin").isEmpty)
    }

    /// Traversal in a key would reach a real file if it were not rejected before touching the disk.
    @Test func traversalIsRejected() throws {
        let temporary = try TemporaryDirectory()
        let root = temporary.path + "/store"
        try StoreWriter.symstore([samples.alphaPDB], at: root)
        let key = samples.alphaPDB.key
        let store = LocalSymbolStore(root: root, options: StoreOptions())
        #expect(try store.lookup(SymbolRequest(name: "alpha.pdb", key: "\(key)/../\(key)")) == nil)
        #expect(try store.lookup(SymbolRequest(name: "..", key: "store")) == nil)
        #expect(try store.lookup(SymbolRequest(name: "alpha.pdb", key: "")) == nil)
        #expect(store.keys(of: "../store/alpha.pdb").isEmpty)
        // the unvalidated path does exist
        #expect(FileManager.default.fileExists(atPath: "\(root)/alpha.pdb/\(key)/../\(key)/alpha.pdb"))
    }

    /// spec §2.4: classic SymSrv also tries the `_` form at a pointer's target when the file is absent.
    @Test func pointerTargetsFallBackToTheCompressedForm() throws {
        let temporary = try TemporaryDirectory()
        let alpha = samples.alphaPDB
        let cabinet = try StoreWriter.cabinet(of: alpha, in: temporary.path)  // …/alpha.pd_
        try StoreWriter.write("PATH:\(temporary.path)/alpha.pdb", at: temporary.path + "/store", "alpha.pdb/\(alpha.key)/file.ptr")
        let store = LocalSymbolStore(root: temporary.path + "/store", options: StoreOptions())
        let hit = try #require(try store.lookup(alpha.request))
        #expect(hit.form == .pointer(pointerPath: "\(temporary.path)/store/alpha.pdb/\(alpha.key)/file.ptr", target: cabinet))
        #expect(hit.size == UInt64(alpha.bytes.count))
        // a `_` file at the target that is no cabinet is not taken
        try Data("plain text".utf8).write(to: URL(fileURLWithPath: cabinet))
        #expect(try store.lookup(alpha.request) == nil)
    }
}
