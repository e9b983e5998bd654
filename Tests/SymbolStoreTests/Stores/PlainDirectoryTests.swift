import Foundation
import Testing
import TestSupport
@testable import SymbolStore

/// Plain directories (spec §1.3): `dir`, `dir/<ext>`, `dir/symbols/<ext>`, matched by the key computed from
/// the file's content.
@Suite struct PlainDirectoryTests {
    let samples = Samples.shared

    @Test func searchesTheThreePlacesAndMatchesKeys() throws {
        let temporary = try TemporaryDirectory()
        let root = temporary.path
        try StoreWriter.place(samples.alphaImage.path, at: root, "alpha.exe")
        try StoreWriter.place(samples.alphaPDB.path, at: root, "pdb/alpha.pdb")
        try StoreWriter.place(samples.betaPDB.path, at: root, "symbols/pdb/beta.pdb")
        try StoreWriter.place(samples.betaImage.path, at: root, "symbols/dll/beta.dll")
        let directory = PlainDirectory(root: root, options: StoreOptions())
        for (sample, relative) in [(samples.alphaImage, "alpha.exe"), (samples.alphaPDB, "pdb/alpha.pdb"),
                                   (samples.betaPDB, "symbols/pdb/beta.pdb"), (samples.betaImage, "symbols/dll/beta.dll")] {
            let hit = try #require(try directory.lookup(SymbolRequest(name: sample.name.uppercased(), key: sample.key.lowercased())))
            #expect(hit.form == .file(path: "\(root)/\(relative)"))
        }
        // a same-named file with another key is not it
        #expect(try directory.lookup(SymbolRequest(name: "alpha.pdb", key: samples.betaPDB.key)) == nil)
        #expect(try directory.lookup(SymbolRequest(name: "alpha.pdb", key: samples.alphaPDB.key, variant: .msfz0)) == nil)
    }

    /// A `.dbg` in `dir/dbg/` (where SymSrv looks for it) is found under its image's key.
    @Test func findsSeparateDebugFilesByTheirImagesKey() throws {
        let temporary = try TemporaryDirectory()
        let image = samples.alphaImage
        let debug = SyntheticSeparateDebug.bytes(fromImage: Array(image.bytes))
        try StoreWriter.write(String(decoding: [], as: UTF8.self), at: temporary.path, "dbg/alpha.dbg")
        try Data(debug).write(to: URL(fileURLWithPath: temporary.path + "/dbg/alpha.dbg"))
        let directory = PlainDirectory(root: temporary.path, options: StoreOptions())
        let hit = try directory.lookup(SymbolRequest(name: "alpha.dbg", key: image.key))
        #expect(hit?.form == .file(path: temporary.path + "/dbg/alpha.dbg"))
        #expect(try directory.lookup(SymbolRequest(name: "alpha.dbg", key: samples.betaImage.key)) == nil)
    }

    /// spec §1.3 order: root first, then `<ext>`, then `symbols/<ext>`.
    @Test func rootComesFirst() throws {
        let temporary = try TemporaryDirectory()
        try StoreWriter.place(samples.alphaPDB.path, at: temporary.path, "alpha.pdb")
        try StoreWriter.place(samples.alphaPDB.path, at: temporary.path, "pdb/alpha.pdb")
        let directory = PlainDirectory(root: temporary.path, options: StoreOptions())
        #expect(try directory.lookup(samples.alphaPDB.request)?.form == .file(path: temporary.path + "/alpha.pdb"))
    }

    /// spec §1.3: the `<ext>` folder is the module's, so Windows symbol packages hold `symbols/dll/ntdll.pdb`;
    /// a request by name does not say the module, so a PDB is looked for under every image extension.
    @Test func findsSymbolFilesUnderTheirModulesExtension() throws {
        let temporary = try TemporaryDirectory()
        let root = temporary.path
        try StoreWriter.place(samples.alphaPDB.path, at: root, "exe/alpha.pdb")
        try StoreWriter.place(samples.betaPDB.path, at: root, "symbols/dll/beta.pdb")
        try StoreWriter.place(samples.betaImage.path, at: root, "src/beta.dll")
        // Folders are looked up as spelled for the name and in lower case; listings show what lookups find.
        try StoreWriter.place(samples.alphaImage.path, at: root, "EXE/alpha.exe")
        let directory = PlainDirectory(root: root, options: StoreOptions())
        #expect(try directory.lookup(samples.alphaImage.request) == nil)
        #expect(try directory.lookup(samples.alphaPDB.request)?.form == .file(path: "\(root)/exe/alpha.pdb"))
        #expect(try directory.lookup(samples.betaPDB.request)?.form == .file(path: "\(root)/symbols/dll/beta.pdb"))
        #expect(try directory.lookup(samples.betaImage.request) == nil, "an image is only under its own extension")
        #expect(directory.names() == ["alpha.pdb", "beta.pdb"])
    }

    /// Listings: every keyed file a lookup would find (root, `<ext>`, `symbols/<ext>`); others (text, files in
    /// folders lookups never search) not.
    @Test func listsTheKeyedFilesLookupsFind() throws {
        let temporary = try TemporaryDirectory()
        try StoreWriter.place(samples.alphaPDB.path, at: temporary.path, "alpha.pdb")
        try StoreWriter.place(samples.betaPDB.path, at: temporary.path, "pdb/beta.pdb")
        try StoreWriter.place(samples.alphaImage.path, at: temporary.path, "symbols/exe/alpha.exe")
        try StoreWriter.place(samples.betaImage.path, at: temporary.path, "exe/beta.dll")
        try StoreWriter.write("hello", at: temporary.path, "README.txt")
        try StoreWriter.write("MZ but not really", at: temporary.path, "fake.dll")
        let directory = PlainDirectory(root: temporary.path, options: StoreOptions())
        #expect(directory.names() == ["alpha.exe", "alpha.pdb", "beta.pdb"])
        #expect(directory.keys(of: "ALPHA.PDB") == [samples.alphaPDB.key])
        #expect(directory.keys(of: "beta.pdb") == [samples.betaPDB.key])
        #expect(directory.variants(of: "alpha.pdb", key: samples.alphaPDB.key.lowercased()) == [.plain])
        #expect(directory.keys(of: "fake.dll").isEmpty)
    }

    /// spec §1.1: a plain directory with `pingme.txt` is a store.
    @Test func pingmeMakesItAStore() throws {
        let temporary = try TemporaryDirectory()
        try StoreWriter.symstore([samples.betaImage], at: temporary.path)
        let directory = PlainDirectory(root: temporary.path, options: StoreOptions())
        #expect(try directory.lookup(samples.betaImage.request)?.form
            == .file(path: "\(temporary.path)/beta.dll/\(samples.betaImage.key)/beta.dll"))
        #expect(directory.names() == ["beta.dll"])
        try FileManager.default.removeItem(atPath: temporary.path + "/pingme.txt")
        #expect(try directory.lookup(samples.betaImage.request) == nil)
    }
}
