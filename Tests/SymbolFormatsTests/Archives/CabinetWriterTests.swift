import Foundation
import SymbolFormats
import SystemPackage
import Testing
import TestSupport

/// One-file MSZIP cabinets (`name_`) read back byte-identical by libmspack and by cabextract, at the sizes where
/// blocks begin and end.
struct CabinetWriterTests {
    static func compress(_ source: String, to cab: String, name: String) throws {
        let output = try FileDescriptor.open(
            FilePath(cab), .writeOnly, options: [.create, .truncate], permissions: [.ownerReadWrite])
        defer { try? output.close() }
        try CabinetWriter.write(
            input: try RandomAccessFile(path: source), name: name, modified: 1_700_000_000, to: output, outputPath: cab)
    }

    /// Half random bytes, half text: compressible and not, so stored and compressed deflate blocks both occur.
    static func content(size: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<size).map { index in
            index % 4096 < 2048 ? UInt8.random(in: 0...255, using: &generator) : UInt8(ascii: "a") + UInt8(index % 26)
        }
    }

    @Test("libmspack and cabextract read back what was compressed",
          arguments: [0, 1, 4095, 32_767, 32_768, 32_769, 65_536 * 3 + 17, 3 << 20])
    func roundTrip(size: Int) throws {
        let directory = try TemporaryDirectory()
        let source = directory.path + "/file.pdb"
        let bytes = Self.content(size: size)
        FileManager.default.createFile(atPath: source, contents: Data(bytes))
        let cab = directory.path + "/file.pd_"
        try Self.compress(source, to: cab, name: "file.pdb")

        let cabinet = try Cabinet(path: cab)
        #expect(cabinet.uncompressedSize == UInt64(size))
        try cabinet.extract(to: directory.path + "/libmspack")
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: directory.path + "/libmspack"))) == bytes)

        let listing = try runChecked("cabextract", ["-t", cab]).standardOutput
        #expect(listing.contains("file.pdb") && listing.contains("All done, no errors"))
        try runChecked("cabextract", ["-q", "-d", directory.path + "/cabextract", cab])
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: directory.path + "/cabextract/file.pdb"))) == bytes)
    }

    @Test("The header names one MSZIP folder and the file, with its size and a checksum cabextract accepts")
    func header() throws {
        let directory = try TemporaryDirectory()
        let source = directory.path + "/ntdll.dll"
        FileManager.default.createFile(atPath: source, contents: Data(Self.content(size: 100_000)))
        let cab = directory.path + "/ntdll.dl_"
        try Self.compress(source, to: cab, name: "ntdll.dll")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: cab)))
        #expect(Array(bytes.prefix(4)) == Array("MSCF".utf8))
        #expect(bytes.u32(at: 8) == UInt32(bytes.count))
        #expect(bytes.u16(at: 26) == 1 && bytes.u16(at: 28) == 1)
        #expect(bytes.u16(at: 36 + 4) == 4)  // 100,000 bytes: four 32 KiB blocks
        #expect(bytes.u16(at: 36 + 6) == 1)  // MSZIP
        #expect(bytes.u32(at: 44) == 100_000)
        let verbose = try runChecked("cabextract", ["-l", cab]).standardOutput
        #expect(verbose.contains("100000 |") && verbose.contains("ntdll.dll"))
    }

    @Test("A file of 0x7FFF8000 bytes or more is refused, never truncated")
    func tooLarge() throws {
        let directory = try TemporaryDirectory()
        let source = directory.path + "/huge.pdb"
        FileManager.default.createFile(atPath: source, contents: nil)
        #expect(truncate(source, off_t(CabinetWriter.maximumSize)) == 0)
        #expect(CabinetWriter.maximumSize == 0x7FFF_8000)
        #expect(throws: ArchiveError.self) { try Self.compress(source, to: directory.path + "/huge.pd_", name: "huge.pdb") }
    }
}
