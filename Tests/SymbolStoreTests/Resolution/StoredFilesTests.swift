import Foundation
import Testing
import TestSupport
@testable import SymbolStore

/// The one-walk listing of every stored file says what a listing name by name, key by key says, over stores
/// whose quirks decide what is listed: case variants across and within stores, keys held only as msfz0, `MSG:`
/// pointers, temporary and bookkeeping entries, a two-tier name outside its prefix folder, plain directories.
@Suite struct StoredFilesTests {
    let samples = Samples.shared

    /// The listing as `names()`, `keys(of:)` and `variants(of:key:)` give it.
    static func nameByName(_ resolver: SymbolPathResolver) throws -> [StoredFile] {
        try resolver.names().flatMap { name in
            try resolver.keys(of: name).map { key in
                StoredFile(name: name, key: key, variants: try resolver.variants(of: name, key: key))
            }
        }
    }

    func makeStores(in temporary: TemporaryDirectory) throws -> String {
        let (c1, c2, alpha, beta) = (samples.common1, samples.common2, samples.alphaPDB, samples.betaImage)
        let one = temporary.path + "/one"
        try StoreWriter.place(c1.path, at: one, "Common.PDB/\(c1.key.lowercased())/Common.PDB")
        try StoreWriter.place(c2.path, at: one, "common.pdb/\(c2.key)/msfz0/common.pdb")
        try StoreWriter.place(c2.path, at: one, "common.pdb/\(c2.key)/.symfs-tmp-common.pdb")
        try StoreWriter.write("MSG: withdrawn", at: one, "alpha.pdb/\(alpha.key)/file.ptr")
        try StoreWriter.write("PATH: \(alpha.path)", at: one, "alpha.pdb/\(alpha.key.lowercased())0/file.ptr")
        try StoreWriter.write("", at: one, "000admin/history.txt")
        try FileManager.default.createDirectory(atPath: one + "/Empty.pdb", withIntermediateDirectories: true)

        let two = temporary.path + "/two"
        try StoreWriter.write("", at: two, "index2.txt")
        try StoreWriter.place(c2.path, at: two, "co/common.pdb/\(c2.key)/common.pdb")
        try StoreWriter.place(c1.path, at: two, "CO/COMMON.PDB/\(c1.key)/COMMON.PDB")
        try StoreWriter.place(beta.path, at: two, "xx/beta.dll/\(alpha.key)/beta.dll")
        try StoreWriter.place(alpha.path, at: two, "al/alpha.pdb/\(alpha.key)/alpha.pdb")
        try StoreWriter.place(alpha.path, at: two, "em/empty.pdb/\(alpha.key)/empty.pdb")

        let plain = temporary.path + "/plain"
        try StoreWriter.place(beta.path, at: plain, "dll/beta.dll")
        try StoreWriter.place(samples.betaPDB.path, at: plain, "symbols/dll/beta.pdb")
        try StoreWriter.write("notes", at: plain, "notes.txt")
        return "cache*\(one);srv*\(two);\(plain)"
    }

    @Test(arguments: [true, false])
    func oneWalkListsWhatNameByNameListingsDo(caseInsensitive: Bool) throws {
        let temporary = try TemporaryDirectory()
        let path = try makeStores(in: temporary)
        let resolver = try makeResolver(path, downstream: temporary.path + "/d", caseInsensitive: caseInsensitive)
        let files = try resolver.storedFiles()
        #expect(files == (try Self.nameByName(resolver)))
        let plainFiles = Set(files.filter { $0.variants.contains(.plain) }.map { "\($0.key).\($0.name)" })
        #expect(plainFiles.contains("\(samples.alphaPDB.key).alpha.pdb"))
        #expect(plainFiles.contains("\(samples.alphaPDB.key.lowercased())0.alpha.pdb"))
        #expect(plainFiles.contains("\(samples.betaImage.key).beta.dll"))
        #expect(plainFiles.contains("\(samples.betaPDB.key).beta.pdb"))
        #expect(!plainFiles.contains { $0.hasPrefix(".symfs-tmp-") || $0.hasSuffix("000admin") })
        let (c1, c2) = (samples.common1.key.lowercased(), samples.common2.key.lowercased())
        let common = Dictionary(
            files.filter { $0.name.lowercased() == "common.pdb" }
                .map { ("\($0.name) \($0.key.lowercased())", $0.variants) },
            uniquingKeysWith: { first, _ in first })
        if caseInsensitive {
            #expect(common == ["Common.PDB \(c1)": [.plain], "Common.PDB \(c2)": [.plain, .msfz0]])
        } else {
            #expect(common == [
                "Common.PDB \(c1)": [.plain], "COMMON.PDB \(c1)": [.plain], "common.pdb \(c2)": [.plain, .msfz0],
            ])
        }
    }
}
