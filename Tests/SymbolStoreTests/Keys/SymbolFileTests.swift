import Foundation
import SymbolStore
import Testing
import TestSupport

/// Recognising files by content, and inputs that are no symbol file at all.
struct SymbolFileTests {
    @Test("Files are recognised by their first bytes, not their names")
    func byContent() throws {
        let directory = try TemporaryDirectory()
        let binary = try KeyFixture.all[0].build(in: directory.path)
        let imageAsPDB = try directory.file("image.pdb")
        let pdbAsImage = try directory.file("symbols.dll")
        try FileManager.default.copyItem(atPath: binary.image, toPath: imageAsPDB)
        try FileManager.default.copyItem(atPath: binary.pdb, toPath: pdbAsImage)
        #expect(try SymbolFile(path: imageAsPDB).kind == .peImage)
        #expect(try SymbolFile(path: imageAsPDB).key == (try PEImage(path: binary.image)).key)
        #expect(try SymbolFile(path: pdbAsImage).kind == .pdb70)
        #expect(try SymbolFile(path: pdbAsImage).key == (try MSFPDB(path: binary.pdb)).key)
    }

    @Test("An empty file is truncated")
    func empty() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.file("empty.exe")
        try FileEdit.write([], to: path)
        #expect(symbolFileError(path) == .truncated(path: path, what: "the file is empty"))
    }

    @Test("A missing file and a directory are unreadable")
    func unreadable() throws {
        let directory = try TemporaryDirectory()
        #expect(symbolFileError(directory.path + "/absent.pdb")?.errorCase == .unreadable)
        #expect(symbolFileError(directory.path)?.errorCase == .unreadable)
    }

    @Test("Random bytes are unrecognised", arguments: [1, 7, 64, 4096, 100_000])
    func randomBytes(count: Int) throws {
        let directory = try TemporaryDirectory()
        var generator = SeededGenerator(seed: UInt64(count))
        var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[0] = 0x00  // no magic starts with a zero byte
        let path = try directory.file("random.bin")
        try FileEdit.write(bytes, to: path)
        #expect(symbolFileError(path) == .unrecognized(path: path))
    }

    @Test("A magic followed by random bytes is an error of that format, never a crash",
          arguments: ["MZ", "MSF", "JG", "BSJB"])
    func magicThenRandom(format: String) throws {
        let directory = try TemporaryDirectory()
        let magic: [UInt8] = switch format {
        case "MZ": Array("MZ".utf8)
        case "MSF": MSFPDB.magic
        case "JG": JGPDB.magic
        default: PortablePDB.magic
        }
        var generator = SeededGenerator(seed: UInt64(magic.count))
        let path = try directory.file("noise")
        var outcomes: [SymbolFileErrorCase: Int] = [:]
        for round in 0..<300 {
            let count = [16, 64, 300, 5000][round % 4]
            try FileEdit.write(magic + (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }, to: path)
            let error = try #require(symbolFileError(path), "round \(round) yielded a key")
            outcomes[error.errorCase, default: 0] += 1
        }
        #expect(outcomes[.unrecognized] == nil && outcomes[.unreadable] == nil, "\(outcomes)")
    }
}

/// SplitMix64: random bytes that are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
