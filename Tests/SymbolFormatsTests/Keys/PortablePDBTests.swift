import Foundation
import SymbolStore
import Testing
import TestSupport
import SymbolFormats

/// Portable PDB keys: GUID + `FFFFFFFF` (spec §2.2), on the real Portable PDBs PyPI `clr_loader` ships, checked
/// against the CodeView record `pefile` reads from the image built with them.
struct PortablePDBTests {
    @Test("The PDB id matches its image's CodeView GUID and debug entry stamp")
    func matchesImage() throws {
        let binaries = try PackagedBinaries.clrLoader()
        var keys: Set<String> = []
        for binary in binaries {
            let pdb = try PortablePDB(path: binary.pdb)
            let image = try Oracles.pefile(binary.image)
            let layout = try Oracles.peLayout(binary.image)
            #expect(pdb.guid.compactText == image.pdbGUID)
            #expect(pdb.stamp == layout.codeViewTimeDateStamp)
            #expect(pdb.key == "\(try #require(image.pdbGUID))FFFFFFFF")
            #expect(try SymbolFile(path: binary.pdb) == .portablePDB(pdb))
            #expect(try #require(try PEImage(path: binary.image).pdb).key == pdb.key)
            keys.insert(pdb.key)
        }
        #expect(keys.count == binaries.count)
    }
}

/// Cuts and lies written into a real Portable PDB (ECMA-335 metadata root, stream headers, `#Pdb` stream).
struct PortablePDBBadInputTests {
    static func realPDB() throws -> [UInt8] {
        let bytes = try FileEdit.bytes(try #require(try PackagedBinaries.clrLoader().first).pdb)
        // The offsets below assume this file's layout: a 12-byte version string, then `#Pdb` as the first of
        // five streams.
        try #require(FileEdit.u32(bytes, at: 12) == 12)
        try #require(bytes[30] == 5 && Array(bytes[40..<45]) == Array("#Pdb\0".utf8))
        return bytes
    }

    static let pdbStreamEnd = Int(0x70 + 20)

    @Test("A Portable PDB cut before the end of its PDB id is truncated")
    func truncated() throws {
        let directory = try TemporaryDirectory()
        let bytes = try Self.realPDB()
        let cut = try directory.file("cut.pdb")
        var failures: [String] = []
        for count in 1..<Self.pdbStreamEnd {
            try FileEdit.write(Array(bytes.prefix(count)), to: cut)
            let expected: SymbolFileErrorCase = count < PortablePDB.magic.count ? .unrecognized : .truncated
            let error = symbolFileError(cut)
            if error?.errorCase != expected {
                failures.append("\(count): \(error.map(String.init(describing:)) ?? "a key")")
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }

    typealias Lie = ByteLie

    static let lies: [Lie] = [
        Lie(what: "version string of 0xFFFFFFF0 bytes", offset: 12, bytes: [0xF0, 0xFF, 0xFF, 0xFF],
            expected: .corrupt),
        Lie(what: "version string of 256 bytes", offset: 12, bytes: [0, 1, 0, 0], expected: .corrupt),
        Lie(what: "0xFFFF streams", offset: 30, bytes: [0xFF, 0xFF], expected: .corrupt),
        Lie(what: "no streams", offset: 30, bytes: [0, 0], expected: .missing),
        Lie(what: "#Pdb renamed", offset: 43, bytes: Array("x".utf8), expected: .missing),
        Lie(what: "#Pdb at 0xFFFFFF00", offset: 32, bytes: [0, 0xFF, 0xFF, 0xFF], expected: .truncated),
        Lie(what: "#Pdb of 8 bytes", offset: 36, bytes: [8, 0, 0, 0], expected: .corrupt),
        Lie(what: "unterminated stream name", offset: 40, bytes: Array(repeating: 0x41, count: 40), expected: .corrupt),
    ]

    @Test("Lying metadata headers give the error they should", arguments: lies)
    func lyingHeader(lie: Lie) throws {
        let directory = try TemporaryDirectory()
        var bytes = try Self.realPDB()
        bytes.replaceSubrange(lie.offset..<lie.offset + lie.bytes.count, with: lie.bytes)
        let path = try directory.file("liar.pdb")
        try FileEdit.write(bytes, to: path)
        let error = try #require(symbolFileError(path))
        #expect(error.errorCase == lie.expected, "\(error)")
    }
}
