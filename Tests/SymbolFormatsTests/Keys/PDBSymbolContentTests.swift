import Foundation
import SymbolFormats
import Testing
import TestSupport

/// What `refs.ptr` says a PDB holds (`pri`/`pub`/`typ`), on the MSVC-built PDBs whose kinds symstore.exe recorded
/// (Tests/Fixtures/symstore-exe) and on one lld-link wrote.
struct PDBSymbolContentTests {
    static let binaries = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/symstore-exe/binaries").path

    @Test("As symstore.exe recorded: dummyprog pri, bigage (stripped) pub, dummylib (no modules) pub",
          arguments: [("dummyprog.pdb", PDBSymbolContent.privateSymbols), ("bigage.pdb", .publicSymbols),
                      ("dummylib.pdb", .publicSymbols)])
    func fixtures(name: String, expected: PDBSymbolContent) throws {
        #expect(try MSFPDB.symbolContent(path: Self.binaries + "/" + name) == expected)
    }

    @Test("A PDB lld-link writes with /debug holds private symbols")
    func lldLink() throws {
        let directory = try TemporaryDirectory()
        let binary = try KeyFixture.all[0].build(in: directory.path)
        #expect(try MSFPDB.symbolContent(path: binary.pdb) == .privateSymbols)
    }

    @Test("A file that is not a PDB 7.0 is an error, not a kind")
    func notAPDB() throws {
        #expect(throws: SymbolFileError.self) { try MSFPDB.symbolContent(path: Self.binaries + "/invalid.pdb") }
        #expect(throws: SymbolFileError.self) { try MSFPDB.symbolContent(path: Self.binaries + "/dummyprog.exe") }
    }
}
