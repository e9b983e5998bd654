import Foundation
import Testing
import TestSupport
import SymbolFormats

/// `symfs key`, run as the built binary, on real PE/PDB pairs (fixtures.md), against PyPI `symstore` and
/// `pefile`.
struct KeyCommandTests {
    func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init)
    }

    @Test("symfs key prints the paths symstore writes for the same files (spec §2.2)")
    func agreesWithSymstore() throws {
        let directory = try TemporaryDirectory()
        let binaries = try KeyFixture.buildAll(in: directory.path)
        // Plus clr_loader's real .NET images (symstore cannot key their Portable PDBs).
        let files = binaries.flatMap { [$0.image, $0.pdb] } + (try PackagedBinaries.clrLoader().map(\.image))
        let result = try runChecked(Executables.symfs, ["key"] + files)
        #expect(result.standardError.isEmpty)
        // symstore pads SizeOfImage to 4 digits (`%.4x`, spec §2.2); every image here is at least 0x1000 bytes,
        // so the paths must be identical, not merely equal up to that padding.
        let stored = try Oracles.symstorePaths(for: files, storeDirectory: directory.path + "/store")
        #expect(lines(result.standardOutput).sorted() == stored)
        #expect(lines(result.standardOutput).count == files.count)
    }

    @Test("--pdb-of prints the PDB pefile finds in each image, and the PDB's own key", arguments: KeyFixture.all)
    func pdbOf(fixture: KeyFixture) throws {
        let directory = try TemporaryDirectory()
        let binary = try fixture.build(in: directory.path)
        let referenced = try runChecked(Executables.symfs, ["key", "--pdb-of", binary.image]).standardOutput
        let oracle = try Oracles.pefile(binary.image)
        let name = try #require(oracle.pdbPath)
        let key = "\(try #require(oracle.pdbGUID))\(String(try #require(oracle.pdbAge), radix: 16))"
        #expect(referenced == "\(name)/\(key)/\(name)\n")
        let own = try runChecked(Executables.symfs, ["key", binary.pdb]).standardOutput
        #expect(own == referenced)
    }

    @Test("--pdb-of on a real .NET image names its Portable PDB, keyed as the PDB itself is")
    func pdbOfPortable() throws {
        for binary in try PackagedBinaries.clrLoader() {
            let referenced = try runChecked(Executables.symfs, ["key", "--pdb-of", binary.image]).standardOutput
            let own = try runChecked(Executables.symfs, ["key", binary.pdb]).standardOutput
            #expect(referenced == own)
            #expect(own.hasPrefix("ClrLoader.pdb/") && own.hasSuffix("FFFFFFFF/ClrLoader.pdb\n"))
        }
    }

    @Test("--pdb-of on an image with an NB10 record names the PDB 2.0 as the PDB itself is keyed")
    func pdbOfNB10() throws {
        let directory = try TemporaryDirectory()
        let binary = try KeyFixture.all[0].build(in: directory.path)
        let image = try directory.file("legacy.exe")
        try FileEdit.nb10Image(binary.image, to: image, signature: 0x0BAD_F00D, age: 3, pdbName: "old.pdb")
        // A synthetic PDB 2.0 (no tool here writes real ones) with the same identity.
        let pdb = try directory.file("old.pdb")
        try SyntheticJGPDB(signature: 0x0BAD_F00D, age: 3).write(to: pdb)
        let referenced = try runChecked(Executables.symfs, ["key", "--pdb-of", image]).standardOutput
        #expect(referenced == "old.pdb/0BADF00D3/old.pdb\n")
        #expect(try runChecked(Executables.symfs, ["key", pdb]).standardOutput == referenced)
        let fields = lines(try runChecked(Executables.symfs, ["key", "--pdb-of", "-v", image]).standardOutput)
        #expect(fields.contains("  kind: PDB 2.0 (NB10)"))
        #expect(fields.contains("  signature: 0xbadf00d"))
        #expect(fields.contains("  age: 3"))
    }

    @Test("-v prints the fields the key is made of")
    func verbose() throws {
        let directory = try TemporaryDirectory()
        let binary = try KeyFixture.all[2].build(in: directory.path)  // PE32, fixed stamp
        let oracle = try Oracles.pefile(binary.image)
        let image = lines(try runChecked(Executables.symfs, ["key", "-v", binary.image]).standardOutput)
        #expect(image.contains("  TimeDateStamp: 0x\(String(oracle.timeDateStamp, radix: 16))"))
        #expect(image.contains("  SizeOfImage: 0x\(String(oracle.sizeOfImage, radix: 16))"))
        #expect(image.contains("  format: PE32"))
        let pdb = lines(try runChecked(Executables.symfs, ["key", "--verbose", binary.pdb]).standardOutput)
        let guid = try #require(oracle.pdbGUID)
        #expect(pdb.contains { $0.hasPrefix("  GUID: {") && $0.dropFirst(9).filter { $0.isHexDigit } == guid })
        #expect(pdb.contains("  age (DBI): \(try #require(oracle.pdbAge))"))
        let reference = lines(
            try runChecked(Executables.symfs, ["key", "--pdb-of", "-v", binary.image]).standardOutput)
        #expect(reference.contains("  path in image: \(try #require(oracle.pdbPath))"))
        #expect(reference.contains("  kind: PDB 7.0 (RSDS)"))
    }

    @Test("Bad files fail with their name and reason on stderr; the good ones in the same call still print")
    func mixedGoodAndBad() throws {
        let directory = try TemporaryDirectory()
        let binary = try KeyFixture.all[0].build(in: directory.path)
        let empty = try directory.file("empty.dll")
        try FileEdit.write([], to: empty)
        let cut = try directory.file("cut.pdb")
        try FileEdit.truncate(binary.pdb, to: cut, count: 5000)
        let absent = directory.path + "/absent.exe"
        let noise = try directory.file("noise.sys")
        try FileEdit.write(Array(repeating: 0x5A, count: 300), to: noise)

        let result = try run(Executables.symfs, ["key", binary.image, empty, cut, absent, noise, binary.pdb])
        #expect(result.status != 0)
        let good = try runChecked(Executables.symfs, ["key", binary.image, binary.pdb]).standardOutput
        #expect(result.standardOutput == good)
        #expect(lines(result.standardOutput).count == 2)
        let errors = lines(result.standardError)
        #expect(errors.count == 4, "\(errors)")
        #expect(errors.contains { $0.contains(empty) && $0.contains("truncated") && $0.contains("empty") })
        #expect(errors.contains { $0.contains(cut) && $0.contains("truncated") })
        #expect(errors.contains { $0.contains(absent) && $0.contains("cannot read") })
        #expect(errors.contains { $0.contains(noise) && $0.contains("not a PE image") })
    }

    @Test("--pdb-of refuses a PDB and an image without a CodeView record, naming them")
    func pdbOfWithoutCodeView() throws {
        let directory = try TemporaryDirectory()
        let binary = try KeyFixture.all[1].build(in: directory.path)
        let layout = try Oracles.peLayout(binary.image)
        let stripped = try directory.file("stripped.dll")
        // Debug type 2 (CodeView) becomes 4 (misc).
        try FileEdit.copy(binary.image, to: stripped, u32: [(layout.codeViewEntryOffset + 12, 4)])

        let result = try run(Executables.symfs, ["key", "--pdb-of", binary.pdb, stripped, binary.image])
        #expect(result.status != 0)
        let referenced = try runChecked(Executables.symfs, ["key", binary.pdb]).standardOutput
        #expect(result.standardOutput == referenced)
        let errors = lines(result.standardError)
        #expect(errors.count == 2, "\(errors)")
        #expect(errors.contains { $0.contains(binary.pdb) && $0.contains("not a PE image") })
        #expect(errors.contains { $0.contains(stripped) && $0.contains("no CodeView record") })
        // The stripped image still has its own key.
        #expect(try runChecked(Executables.symfs, ["key", stripped]).standardOutput.hasPrefix("stripped.dll/"))
    }
}
