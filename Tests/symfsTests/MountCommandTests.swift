import Foundation
import Testing
import TestSupport

/// `symfs mount` over every local layout, through the kernel: byte-identical
/// reads, listings, misses, read-only errors, case variants, merged names, caches filled, the flat view.
@Suite(.serialized)
struct MountCommandTests {
    let fixture = MountFixture.shared
    let caches: TemporaryDirectory
    let mount: SymfsMount

    init() throws {
        caches = try TemporaryDirectory("symfs-caches")
        mount = try SymfsMount(symbolPath: fixture.symbolPath(cache: caches.path + "/cache",
                                                              downstream: caches.path + "/downstream"))
    }

    func storePath(_ file: SampleFile) -> String {
        mount.path("\(file.name)/\(file.key)/\(file.name)")
    }

    @Test func everyFileReadsBackByteIdentical() throws {
        for (file, store) in fixture.files {
            let result = try run("cmp", [file.path, storePath(file)])
            #expect(result.status == 0, "\(file.name) from \(store): \(result.standardOutput)\(result.standardError)")
        }
    }

    @Test func statReportsTheServedSizeBeforeAnyRead() throws {
        for (file, _) in fixture.files {
            let attributes = try FileManager.default.attributesOfItem(atPath: storePath(file))
            #expect(attributes[.size] as? Int == file.bytes.count, "\(file.name)")
            #expect(attributes[.posixPermissions] as? Int == 0o444)
        }
    }

    @Test func rootListsTheUnionOfNames() throws {
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: mount.path("")))
        #expect(names == Set(["pingme.txt", ".ciopfs", ".symfs", "alpha.exe", "alpha.pdb", "common.pdb",
                              "beta.dll", "beta.pdb", "gamma.exe", "gamma.pdb", "delta.dll", "delta.pdb",
                              "epsilon.exe", "epsilon.pdb"]))
    }

    @Test func sameNamedDirectoriesFromSeveralStoresMerge() throws {
        let common = fixture.files.filter { $0.file.name == "common.pdb" }.map(\.file)
        let keys = Set(try FileManager.default.contentsOfDirectory(atPath: mount.path("common.pdb")))
        #expect(keys == Set(common.map(\.key) + [".ciopfs"]))
        for file in common { #expect(try run("cmp", [file.path, storePath(file)]).status == 0) }
    }

    @Test func findWalksTheTree() throws {
        let output = try runChecked("find", [mount.path(""), "-type", "f", "-name", "*.pdb"]).standardOutput
        let found = output.split(separator: "\n").filter { !$0.contains("/.symfs/") }
        // alpha, common ×2, beta, gamma, delta, and epsilon from the plain directory's exe/ folder.
        #expect(found.count == 7, "\(found)")
    }

    @Test func missesAreENOENT() throws {
        let alpha = fixture.files[1].file
        for missing in ["nothere.pdb", "alpha.pdb/00000000000000000000000000000000F/alpha.pdb",
                        "alpha.pdb/\(alpha.key)/beta.pdb", "alpha.pdb/\(alpha.key)/msfz0"] {
            var status = stat()
            #expect(stat(mount.path(missing), &status) == -1 && errno == ENOENT, "\(missing)")
        }
    }

    @Test func writesAreEROFS() throws {
        let alpha = fixture.files[0].file
        #expect(open(storePath(alpha), O_RDWR) == -1 && errno == EROFS)
        #expect(creat(mount.path("new.pdb"), 0o644) == -1 && errno == EROFS)
        #expect(unlink(storePath(alpha)) == -1 && errno == EROFS)
        #expect(mkdir(mount.path("x"), 0o755) == -1 && errno == EROFS)
    }

    @Test func caseVariantsResolve() throws {
        let beta = fixture.files[4].file
        let variant = mount.path("\(beta.name.uppercased())/\(beta.key.lowercased())/\(beta.name.uppercased())")
        #expect(try run("cmp", [beta.path, variant]).status == 0)
    }

    /// A hit right of cache* is copied into it; a compressed hit is decompressed into the leftmost store only,
    /// and the chain's own downstream store keeps the compressed form (spec §1.1 "Cascading details").
    @Test func cachesFillAsSymSrvFillsThem() throws {
        let alpha = fixture.files[0].file
        let beta = fixture.files[4].file
        #expect(try run("cmp", [alpha.path, storePath(alpha)]).status == 0)
        #expect(try run("cmp", [beta.path, storePath(beta)]).status == 0)
        let cache = caches.path + "/cache"
        #expect(try run("cmp", [alpha.path, "\(cache)/\(alpha.name)/\(alpha.key)/\(alpha.name)"]).status == 0)
        #expect(try run("cmp", [beta.path, "\(cache)/\(beta.name)/\(beta.key)/\(beta.name)"]).status == 0)
        let downstream = caches.path + "/downstream/\(beta.name)/\(beta.key)"
        #expect(try FileManager.default.contentsOfDirectory(atPath: downstream) == [String(beta.name.dropLast()) + "_"])
        let leftovers = try run("find", [caches.path, "-name", ".symfs-tmp-*"]).standardOutput
        #expect(leftovers.isEmpty)
    }

    @Test func flatViewListsEveryStoredFileAsKeyDotName() throws {
        let listed = Set(try FileManager.default.contentsOfDirectory(atPath: mount.path(".symfs/flat")))
        for (file, store) in fixture.files where store != fixture.plain {
            #expect(listed.contains("\(file.key).\(file.name)"), "\(file.name)")
            #expect(try run("cmp", [file.path, mount.path(".symfs/flat/\(file.key).\(file.name)")]).status == 0)
        }
    }

    @Test func pingmeMarksTheMountAsAStore() throws {
        var status = stat()
        #expect(stat(mount.path("pingme.txt"), &status) == 0)
        #expect(status.st_mode & S_IFMT == S_IFREG)
    }

    @Test func statisticsCountWhatHappened() throws {
        let alpha = fixture.files[0].file
        _ = try Data(contentsOf: URL(fileURLWithPath: storePath(alpha)))
        let text = try String(contentsOfFile: mount.path(".symfs/stats"), encoding: .utf8)
        #expect(text.contains("file_hits 1\n"), "\(text)")
        #expect(text.contains("bytes_read \(alpha.bytes.count)\n"), "\(text)")
    }

    /// llvm-pdbutil reads the whole PDB through the mount (fixtures.md: a good end-to-end check).
    @Test func llvmPdbutilReadsAPDBThroughTheMount() throws {
        let pdb = fixture.files[1].file
        let output = try runChecked("llvm-pdbutil-14", ["dump", "--summary", storePath(pdb)]).standardOutput
        #expect(output.contains("Has Debug Info: true"))
    }
}
