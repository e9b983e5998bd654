import Foundation
import Testing
import TestSupport

/// A real Windows program under Wine (Debian's wine64) loads a module's PDB through the mount. Wine's own
/// dbghelp has no symbol-server support: it lists each path element and matches file names by suffix, then checks
/// GUID and age (symsrv-spec.md §6), so it is given the flat view, where every stored file is `<KEY>.<name>`.
@Suite(.serialized)
struct WineClientTests {
    let fixture = MountFixture.shared

    @Test func dbghelpLoadsAPDBThroughTheFlatView() throws {
        let work = try TemporaryDirectory("symfs-wine")
        let client = try WineClient.build(in: work.path)
        // The image alone, away from its PDB, so that only the mount can supply the PDB.
        let (image, pdb) = (fixture.files[0].file, fixture.files[1].file)
        let imageCopy = try work.file("image/\(image.name)")
        try FileManager.default.copyItem(atPath: image.path, toPath: imageCopy)
        let caches = try TemporaryDirectory("symfs-caches")
        let mount = try SymfsMount(symbolPath: fixture.symbolPath(cache: caches.path + "/c", downstream: caches.path + "/d"))
        let prefix = try work.file("prefix")
        let symbol = "helper_alpha_0"

        let found = try WineClient.run(
            client: client, image: imageCopy, searchPath: WineClient.windowsPath(mount.path(".symfs/flat")),
            symbol: symbol, prefix: prefix)
        #expect(found.status == 0, "\(found.standardOutput)\(found.standardError)")
        #expect(found.standardOutput.contains("symtype 3\n"), "SymPdb: \(found.standardOutput)")
        #expect(found.standardOutput.contains("pdb \(pdb.name)\n"), "\(found.standardOutput)")
        #expect(found.standardOutput.contains("symbol \(symbol) +0x"), "\(found.standardOutput)")
        let stats = try String(contentsOfFile: mount.path(".symfs/stats"), encoding: .utf8)
        #expect(!stats.contains("bytes_read 0\n"), "the PDB was read through the mount")

        // The same program given a directory without the PDB finds no symbols: the mount made the difference.
        let empty = try work.file("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let missing = try WineClient.run(
            client: client, image: imageCopy, searchPath: WineClient.windowsPath(empty), symbol: symbol, prefix: prefix)
        #expect(!missing.standardOutput.contains("symtype 3\n"), "\(missing.standardOutput)")
    }
}
