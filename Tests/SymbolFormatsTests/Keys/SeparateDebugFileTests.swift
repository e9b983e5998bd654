import Foundation
import SymbolStore
import Testing
import TestSupport
import SymbolFormats

/// `.dbg` keys (spec §2.2: the image's TimeDateStamp `%08X` + SizeOfImage `%x`), on files made from images built
/// with clang and lld-link and checked against PyPI `pefile` (SyntheticSeparateDebug says why none is real).
struct SeparateDebugFileTests {
    @Test("A .dbg is filed under its image's key, as pefile reads the image", arguments: KeyFixture.all)
    func keyOfTheImage(fixture: KeyFixture) throws {
        let directory = try TemporaryDirectory()
        let binary = try fixture.build(in: directory.path)
        let image = try #require(FileManager.default.contents(atPath: binary.image))
        let path = directory.path + "/split.dbg"
        try Data(SyntheticSeparateDebug.bytes(fromImage: Array(image))).write(to: URL(fileURLWithPath: path))
        let oracle = try Oracles.pefile(binary.image)
        let file = try SymbolFile(path: path)
        #expect(file.kind == .separateDebug)
        #expect(file.key == String(format: "%08X%x", oracle.timeDateStamp, oracle.sizeOfImage))
        #expect(file.key == (try PEImage(path: binary.image)).key)
    }

    static let lies: [ByteLie] = [
        ByteLie(what: "SizeOfImage = 0", offset: 20, bytes: [0, 0, 0, 0], expected: .corrupt),
        ByteLie(what: "NumberOfSections = 0x1000", offset: 24, bytes: [0, 0x10, 0, 0], expected: .corrupt),
        ByteLie(what: "NumberOfSections = 90", offset: 24, bytes: [90, 0, 0, 0], expected: .truncated),
    ]

    @Test("Lying .dbg headers give the error they should", arguments: lies)
    func lyingHeaders(lie: ByteLie) throws {
        let directory = try TemporaryDirectory()
        let binary = try KeyFixture.all[0].build(in: directory.path)
        var bytes = SyntheticSeparateDebug.bytes(fromImage: Array(try #require(FileManager.default.contents(atPath: binary.image))))
        bytes.replaceSubrange(lie.offset..<lie.offset + lie.bytes.count, with: lie.bytes)
        let path = directory.path + "/lie.dbg"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(symbolFileError(path)?.errorCase == lie.expected)
    }

    @Test("A .dbg cut inside its header is truncated")
    func truncatedHeader() throws {
        let directory = try TemporaryDirectory()
        let binary = try KeyFixture.all[0].build(in: directory.path)
        let bytes = SyntheticSeparateDebug.bytes(fromImage: Array(try #require(FileManager.default.contents(atPath: binary.image))))
        let path = directory.path + "/cut.dbg"
        for length in [2, 20, 47] {
            try Data(bytes.prefix(length)).write(to: URL(fileURLWithPath: path))
            #expect(symbolFileError(path)?.errorCase == .truncated, "\(length) bytes")
        }
    }
}
