import Foundation
import SymbolStore
import Testing
import TestSupport
import SymbolFormats

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

/// Real files with words overwritten where their parsers look: every outcome is a key or a `SymbolFileError`,
/// never a crash or a read sized by a lying header.
struct SymbolFileMutationTests {
    enum Format: String, Sendable, CaseIterable {
        case peImage, pdb70, portablePDB, pdb20
    }

    /// The file to mutate and the byte ranges its key depends on.
    static func original(_ format: Format, in directory: TemporaryDirectory) throws -> ([UInt8], [Range<Int>]) {
        switch format {
        case .peImage:
            let binary = try KeyFixture.all[3].build(in: directory.path)
            let layout = try Oracles.peLayout(binary.image)
            return (try FileEdit.bytes(binary.image),
                    [0..<0x200, layout.codeViewEntryOffset..<layout.codeViewEntryOffset + 28,
                     layout.codeViewRecordOffset..<layout.codeViewRecordOffset + 24])
        case .pdb70:
            let binary = try KeyFixture.all[0].build(in: directory.path)
            let bytes = try FileEdit.bytes(binary.pdb)
            let layout = MSFLayout(bytes)
            let directory = layout.streamCountOffset
            let info = layout.firstPage(of: 1, in: bytes) * layout.pageSize
            return (bytes, [0..<56, layout.blockMapPage * layout.pageSize..<layout.blockMapPage * layout.pageSize + 8,
                            directory..<directory + 256, info..<info + 28])
        case .portablePDB:
            return (try FileEdit.bytes(try #require(try PackagedBinaries.clrLoader().first).pdb), [0..<0x84])
        case .pdb20:
            // Default layout: info stream on page 2, root stream on page 7 (1024-byte pages).
            return (SyntheticJGPDB(signature: 0x1234_5678, age: 9).bytes,
                    [0..<64, 2 * 1024..<2 * 1024 + 12, 7 * 1024..<7 * 1024 + 48])
        }
    }

    @Test("Overwritten header words give a key or an error", arguments: Format.allCases)
    func mutated(format: Format) throws {
        let directory = try TemporaryDirectory()
        let (bytes, ranges) = try Self.original(format, in: directory)
        var generator = SeededGenerator(seed: UInt64(format.rawValue.count))
        let path = try directory.file("mutant")
        var keys = 0
        var errors: [SymbolFileErrorCase: Int] = [:]
        for _ in 0..<400 {
            var mutant = bytes
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let range = ranges.randomElement(using: &generator)!
                let offset = Int.random(in: range.lowerBound..<range.upperBound - 4, using: &generator)
                let value: UInt32 = [0, 1, 0xFFFF_FFFF, 0x7FFF_FFFF, 0x1000, UInt32(bytes.count),
                                     UInt32.random(in: 0...UInt32.max, using: &generator),
                                     UInt32.random(in: 0...0xFF, using: &generator)].randomElement(using: &generator)!
                for index in 0..<4 { mutant[offset + index] = UInt8((value >> (index * 8)) & 0xFF) }
            }
            try FileEdit.write(mutant, to: path)
            if let error = symbolFileError(path) { errors[error.errorCase, default: 0] += 1 } else { keys += 1 }
        }
        #expect(errors[.unreadable] == nil)
        // The mutations reach the parser: some leave the key alone, some break it.
        #expect(keys > 0 && errors.values.reduce(0, +) > 0, "\(keys) keys, \(errors)")
    }
}
