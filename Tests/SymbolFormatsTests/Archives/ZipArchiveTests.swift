import Foundation
import Testing
import TestSupport
@testable import SymbolStore
@testable import SymbolFormats

/// ZIP-compressed `name_` files (spec §2.3: `symstore /compress ZIP`; detected by `PK\3\4`, one member) as
/// Info-ZIP writes them, and the bad ones: each fails with EIO and a reason, never a wrong file.
@Suite struct ZipArchiveTests {
    let samples = Samples.shared

    @Test(arguments: StoreWriter.ZipForm.allCases)
    func extractsByteIdentical(form: StoreWriter.ZipForm) throws {
        let temporary = try TemporaryDirectory()
        let sample = samples.alphaPDB
        let zip = try StoreWriter.zip(of: sample, in: temporary.path, form: form)
        #expect(CompressedArchive.hasMagic(zip))
        let archive = try CompressedArchive(path: zip)
        guard case .zip = archive else {
            Issue.record("not read as a ZIP: \(archive)")
            return
        }
        #expect(archive.uncompressedSize == UInt64(sample.bytes.count))
        let output = temporary.path + "/out"
        try archive.extract(to: output)
        #expect(FileManager.default.contents(atPath: output) == sample.bytes)
    }

    /// A member far larger than zlib's buffers (3 MiB, half noise and half zeros), deflated and stored.
    @Test(arguments: [StoreWriter.ZipForm.deflated, .stored, .streamed])
    func extractsALargeMember(form: StoreWriter.ZipForm) throws {
        let temporary = try TemporaryDirectory()
        var generator = SystemRandomNumberGenerator()
        let content = (0..<(3 << 19)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            + [UInt8](repeating: 0, count: 3 << 19)
        let path = temporary.path + "/large.bin"
        try Data(content).write(to: URL(fileURLWithPath: path))
        let archive = try CompressedArchive(path: try StoreWriter.zip(ofPath: path, in: temporary.path, form: form))
        #expect(archive.uncompressedSize == UInt64(content.count))
        try archive.extract(to: temporary.path + "/out")
        #expect(FileManager.default.contents(atPath: temporary.path + "/out") == Data(content))
    }

    /// What a lookup on a server reads: the size from the local header, or nil when only the central
    /// directory has it; and from the central directory at the end.
    @Test(arguments: StoreWriter.ZipForm.allCases)
    func sizeFromTheHeadersAlone(form: StoreWriter.ZipForm) throws {
        let temporary = try TemporaryDirectory()
        let sample = samples.betaImage
        let bytes = try #require(FileManager.default.contents(atPath: try StoreWriter.zip(of: sample, in: temporary.path, form: form)))
        let expected = UInt64(sample.bytes.count)
        #expect(ZipLayout.uncompressedSize(localHeader: Array(bytes.prefix(4096))) == .found(form == .streamed ? nil : expected))
        let tailStart = bytes.count - min(bytes.count, 1000)
        guard case .found(let member) = ZipLayout.member(
            tail: Array(bytes[tailStart...]), tailOffset: UInt64(tailStart), fileSize: UInt64(bytes.count)) else {
            Issue.record("no member found in the last 1000 bytes")
            return
        }
        #expect(member.uncompressedSize == expected)
        #expect(member.method == (form == .stored ? 0 : 8))
    }

    func expectCorrupt(_ path: String, saying reason: String) {
        do throws(ArchiveError) {
            let archive = try CompressedArchive(path: path)
            try archive.extract(to: path + ".out")
            Issue.record("\(path) was taken")
        } catch {
            #expect(error.cause == .corrupt && error.detail.contains(reason), "\(error.detail)")
        }
    }

    @Test func twoMembersAreRefused() throws {
        let temporary = try TemporaryDirectory()
        let zip = temporary.path + "/two.pd_"
        try runChecked("zip", ["-q", "-j", zip, samples.alphaPDB.path, samples.betaPDB.path])
        expectCorrupt(zip, saying: "2 members")
    }

    @Test func encryptedIsRefused() throws {
        let temporary = try TemporaryDirectory()
        let zip = temporary.path + "/secret.pd_"
        try runChecked("zip", ["-q", "-j", "-P", "password", zip, samples.alphaPDB.path])
        expectCorrupt(zip, saying: "encrypted")
    }

    @Test func aTruncatedArchiveIsRefused() throws {
        let temporary = try TemporaryDirectory()
        let zip = try StoreWriter.zip(of: samples.alphaPDB, in: temporary.path)
        let bytes = try #require(FileManager.default.contents(atPath: zip))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: zip))
        expectCorrupt(zip, saying: "end of central directory")
    }

    /// Damaged compressed data: zlib refuses it or the CRC-32 does not match; either way the archive is blamed and no file is taken.
    @Test func damagedDataIsRefused() throws {
        let temporary = try TemporaryDirectory()
        let zip = try StoreWriter.zip(of: samples.alphaPDB, in: temporary.path)
        var bytes = try #require(FileManager.default.contents(atPath: zip))
        for offset in stride(from: 200, to: bytes.count / 2, by: 97) { bytes[offset] ^= 0x5A }
        try bytes.write(to: URL(fileURLWithPath: zip))
        do throws(ArchiveError) {
            try CompressedArchive(path: zip).extract(to: temporary.path + "/out")
            Issue.record("damaged data extracted")
        } catch {
            #expect(error.cause == .corrupt, "blamed the output: \(error.detail)")
            #expect(["deflate", "CRC-32", "size"].contains { error.detail.contains($0) }, "\(error.detail)")
        }
    }

    /// Hand-made bytes for lies only: a ZIP64 end record the tail does not reach, and a ZIP64 locator pointing
    /// past every byte, are asked for or refused; neither may trap.
    @Test func lyingZip64RecordsAreRefused() {
        func endRecord(entries: UInt16) -> [UInt8] {
            [0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0, 0xFF, 0xFF] + [UInt8(entries & 0xFF), UInt8(entries >> 8)]
                + [UInt8](repeating: 0xFF, count: 8) + [0, 0]
        }
        let early = [UInt8](repeating: 0, count: 19) + endRecord(entries: 0xFFFF)
        #expect(ZipLayout.member(tail: early, tailOffset: 19, fileSize: 19 + UInt64(early.count)) == .needBytes(from: 0))
        let locator: [UInt8] = [0x50, 0x4B, 0x06, 0x07, 0, 0, 0, 0] + [UInt8](repeating: 0xFF, count: 8) + [1, 0, 0, 0]
        let forged = locator + endRecord(entries: 0xFFFF)
        guard case .invalid = ZipLayout.member(tail: forged, tailOffset: 0, fileSize: UInt64(forged.count)) else {
            Issue.record("a locator past the end was taken")
            return
        }
        var near = locator
        near.replaceSubrange(8..<16, with: [0xF0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        guard case .invalid = ZipLayout.member(tail: near + endRecord(entries: 0xFFFF), tailOffset: 0, fileSize: .max) else {
            Issue.record("a locator near the top of UInt64 was taken")
            return
        }
    }

    /// Hand-made bytes for lies only: a directory that says its one member lies beyond the end of the file.
    @Test func aLyingDirectoryIsRefused() throws {
        let temporary = try TemporaryDirectory()
        let zip = try StoreWriter.zip(of: samples.alphaPDB, in: temporary.path, form: .stored)
        var bytes = try #require(FileManager.default.contents(atPath: zip))
        let end = try #require(bytes.count >= 22 ? bytes.count - 22 : nil)
        let directory = Int(bytes[end + 16]) | Int(bytes[end + 17]) << 8 | Int(bytes[end + 18]) << 16 | Int(bytes[end + 19]) << 24
        // Compressed size in the central directory header: far beyond the file.
        for index in 0..<4 { bytes[directory + 20 + index] = 0x7F }
        try bytes.write(to: URL(fileURLWithPath: zip))
        expectCorrupt(zip, saying: "outside the file")
    }
}
