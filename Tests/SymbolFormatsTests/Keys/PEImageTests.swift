import Foundation
import SymbolStore
import Testing
import TestSupport
import SymbolFormats

/// PE image keys (spec §2.2: TimeDateStamp `%08X` + SizeOfImage `%x`) and CodeView records, checked on images
/// built with clang and lld-link (fixtures.md) against PyPI `pefile`.
struct PEImageTests {
    @Test("TimeDateStamp, SizeOfImage and format agree with pefile", arguments: KeyFixture.all)
    func headerFields(fixture: KeyFixture) throws {
        let directory = try TemporaryDirectory()
        let binary = try fixture.build(in: directory.path)
        let image = try PEImage(path: binary.image)
        let oracle = try Oracles.pefile(binary.image)
        #expect(image.timeDateStamp == oracle.timeDateStamp)
        #expect(image.sizeOfImage == oracle.sizeOfImage)
        if let timestamp = fixture.timestamp { #expect(image.timeDateStamp == timestamp) }
        #expect(image.isPE32Plus == (fixture.machine == .x64))
        #expect(image.key == String(format: "%08X%x", oracle.timeDateStamp, oracle.sizeOfImage))
    }

    @Test("The CodeView record names the PDB pefile reads", arguments: KeyFixture.all)
    func codeViewRecord(fixture: KeyFixture) throws {
        let directory = try TemporaryDirectory()
        let binary = try fixture.build(in: directory.path)
        let reference = try #require(try PEImage(path: binary.image).pdb)
        let oracle = try Oracles.pefile(binary.image)
        #expect(reference.path == oracle.pdbPath)
        #expect(reference.name == (binary.pdb as NSString).lastPathComponent)
        guard case .guid(let guid, let age, let portable) = reference.identity else {
            Issue.record("expected an RSDS record, got \(reference.identity)")
            return
        }
        #expect(guid.compactText == oracle.pdbGUID)
        #expect(age == oracle.pdbAge)
        #expect(!portable)
        #expect(reference.key == "\(try #require(oracle.pdbGUID))\(String(try #require(oracle.pdbAge), radix: 16))")
    }

    @Test("A PDB path with Windows separators yields its last component as the name")
    func windowsPDBPath() throws {
        let directory = try TemporaryDirectory()
        let binary = try WindowsBinaries.build(
            name: "win.exe", source: WindowsBinaries.source(tag: "win"), in: directory.path,
            pdbName: "win.pdb", pdbAltPath: false)
        let reference = try #require(try PEImage(path: binary.image).pdb)
        #expect(reference.path == binary.pdb)
        #expect(reference.name == "win.pdb")
    }

    @Test("Real .NET images (PyPI clr_loader, PE32+ and PE32) name Portable PDBs as pefile reads them")
    func packagedDotNetImages() throws {
        let binaries = try PackagedBinaries.clrLoader()
        var formats: Set<Bool> = []
        for binary in binaries {
            let image = try PEImage(path: binary.image)
            let oracle = try Oracles.pefile(binary.image)
            let layout = try Oracles.peLayout(binary.image)
            #expect(image.timeDateStamp == oracle.timeDateStamp)
            #expect(image.sizeOfImage == oracle.sizeOfImage)
            formats.insert(image.isPE32Plus)
            let reference = try #require(image.pdb)
            #expect(reference.path == oracle.pdbPath)
            #expect(layout.portable)
            guard case .guid(let guid, _, let portable) = reference.identity else {
                Issue.record("expected an RSDS record, got \(reference.identity)")
                continue
            }
            #expect(portable)
            #expect(guid.compactText == oracle.pdbGUID)
            // Spec §2.2: a Portable PDB's key replaces the age with FFFFFFFF.
            #expect(reference.key == "\(try #require(oracle.pdbGUID))FFFFFFFF")
        }
        #expect(formats == [true, false])
    }

    @Test("An NB10 CodeView record names a PDB 2.0 by signature and age, even when shorter than an RSDS one",
          arguments: ["x.pdb", "vc60.pdb", "C:\\Build\\Release\\old.pdb"])
    func nb10Record(pdbName: String) throws {
        let directory = try TemporaryDirectory()
        let binary = try WindowsBinaries.build(
            name: "legacy.exe", source: WindowsBinaries.source(tag: "legacy"), in: directory.path, pdbAltPath: false)
        let edited = try directory.file("nb10.exe")
        try FileEdit.nb10Image(binary.image, to: edited, signature: 0x37A8_F40E, age: 0x12, pdbName: pdbName)
        let reference = try #require(try PEImage(path: edited).pdb)
        #expect(reference.identity == .signature(0x37A8_F40E, age: 0x12))
        #expect(reference.path == pdbName)
        #expect(reference.key == "37A8F40E12")
        // The same identity as the (synthetic) PDB 2.0 it names.
        let pdb = try directory.file("old.pdb")
        try SyntheticJGPDB(signature: 0x37A8_F40E, age: 0x12).write(to: pdb)
        #expect(try JGPDB(path: pdb).key == reference.key)
    }

    @Test("An image whose debug directory has no CodeView entry still has a key, and no PDB")
    func noCodeViewEntry() throws {
        let directory = try TemporaryDirectory()
        let binary = try KeyFixture.all[0].build(in: directory.path)
        let layout = try Oracles.peLayout(binary.image)
        let edited = try directory.file("nocv.exe")
        // Debug type 2 (CodeView) becomes 4 (misc).
        try FileEdit.copy(binary.image, to: edited, u32: [(layout.codeViewEntryOffset + 12, 4)])
        let image = try PEImage(path: edited)
        #expect(image.pdb == nil)
        #expect(image.key == (try PEImage(path: binary.image)).key)
    }
}

/// Truncated images and headers that lie: each must give a `SymbolFileError` of the right kind, never a crash
/// or an allocation the header asks for.
struct PEImageBadInputTests {
    @Test("A PE cut anywhere before the end of its CodeView record is truncated",
          arguments: [WindowsBinaries.Machine.x64, .x86])
    func truncatedEverywhere(machine: WindowsBinaries.Machine) throws {
        let directory = try TemporaryDirectory()
        let binary = try WindowsBinaries.build(
            name: "cut.exe", source: WindowsBinaries.source(tag: "cut"), in: directory.path, machine: machine)
        let layout = try Oracles.peLayout(binary.image)
        let bytes = try FileEdit.bytes(binary.image)
        let end = layout.codeViewRecordOffset + layout.codeViewRecordSize
        let cut = try directory.file("cut-short.exe")
        var failures: [String] = []
        for count in 2..<end {
            try FileEdit.write(Array(bytes.prefix(count)), to: cut)
            let error = symbolFileError(cut)
            if error?.errorCase != .truncated {
                failures.append("\(count): \(error.map(String.init(describing:)) ?? "a key")")
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        // One byte cannot show it is a PE at all.
        try FileEdit.write([bytes[0]], to: cut)
        #expect(symbolFileError(cut)?.errorCase == .unrecognized)
    }

    /// A lie written into a real image: what to overwrite and the error case it must give.
    struct Lie: Sendable, CustomStringConvertible {
        enum Field: Sendable {
            case lfanew, sectionCount, optionalHeaderSize, debugRVA, debugSize
            case codeViewSize, codeViewPointer, codeViewSignature
        }
        var field: Field
        var value: UInt32
        var expected: SymbolFileErrorCase
        var description: String { "\(field) = 0x\(String(value, radix: 16)) -> \(expected)" }

        func offset(in layout: Oracles.PELayout) -> Int {
            switch field {
            case .lfanew: return layout.lfanewOffset
            case .sectionCount: return layout.sectionCountOffset
            case .optionalHeaderSize: return layout.optionalHeaderSizeOffset
            case .debugRVA: return layout.debugDataDirectoryOffset
            case .debugSize: return layout.debugDataDirectoryOffset + 4
            case .codeViewSize: return layout.codeViewEntryOffset + 16
            case .codeViewPointer: return layout.codeViewEntryOffset + 24
            case .codeViewSignature: return layout.codeViewRecordOffset
            }
        }
    }

    /// PEImage reads at most this much of a CodeView record.
    static let maximumCodeViewRead = 4096

    static let lies: [Lie] = [
        Lie(field: .lfanew, value: 0xFFFF_FFF0, expected: .corrupt),
        Lie(field: .lfanew, value: 0x00FF_FFF0, expected: .truncated),
        Lie(field: .lfanew, value: 0, expected: .corrupt),
        Lie(field: .lfanew, value: 0x40, expected: .corrupt),  // the DOS stub, not a PE signature
        // Two-byte fields: the value's upper half lands on the next field, which these lies do not depend on.
        Lie(field: .sectionCount, value: 0, expected: .corrupt),
        Lie(field: .sectionCount, value: 0xFFFF, expected: .truncated),
        Lie(field: .optionalHeaderSize, value: 0x10, expected: .corrupt),
        Lie(field: .optionalHeaderSize, value: 0xFFFF, expected: .truncated),
        Lie(field: .debugRVA, value: 0x7FFF_0000, expected: .corrupt),
        Lie(field: .debugSize, value: 0xFFFF_FFF0, expected: .corrupt),
        Lie(field: .codeViewSize, value: 8, expected: .corrupt),
        Lie(field: .codeViewSize, value: 20, expected: .corrupt),  // room for NB10, not for RSDS
        Lie(field: .codeViewSize, value: 0xFFFF_FFF0, expected: .truncated),
        Lie(field: .codeViewSize, value: 0x0010_0000, expected: .truncated),
        Lie(field: .codeViewPointer, value: 0xFFFF_FF00, expected: .truncated),
        Lie(field: .codeViewSignature, value: 0x5858_5858, expected: .missing),
    ]

    @Test("Lying PE headers give the error they should", arguments: lies, [WindowsBinaries.Machine.x64, .x86])
    func lyingHeader(lie: Lie, machine: WindowsBinaries.Machine) throws {
        let directory = try TemporaryDirectory()
        // Initialised data puts a large .data section after .rdata, so a lying size that runs past the debug
        // data still lies within the file.
        let source = WindowsBinaries.source(tag: "liar") + "int table_liar[8000] = { 1, 2, 3 };\n"
        let binary = try WindowsBinaries.build(
            name: "liar.dll", source: source, dll: true, in: directory.path, machine: machine)
        let layout = try Oracles.peLayout(binary.image)
        let fileSize = try FileEdit.bytes(binary.image).count
        try #require(layout.codeViewRecordOffset + 2 * PEImageBadInputTests.maximumCodeViewRead < fileSize)
        let edited = try directory.file("edited.dll")
        try FileEdit.copy(binary.image, to: edited, u32: [(lie.offset(in: layout), lie.value)])
        let error = try #require(symbolFileError(edited))
        #expect(error.errorCase == lie.expected, "\(error)")
        #expect(error.description.hasPrefix(edited + ": "))
    }

    @Test("MZ files that are not PE images are rejected as such")
    func mzButNotPE() throws {
        let directory = try TemporaryDirectory()
        var dos = [UInt8](repeating: 0, count: 128)
        dos[0] = 0x4D; dos[1] = 0x5A
        let stub = Array("This program cannot be run in DOS mode.".utf8)
        dos.replaceSubrange(64..<64 + stub.count, with: stub)

        let noOffset = try directory.file("dos.exe")
        try FileEdit.write(dos, to: noOffset)
        #expect(symbolFileError(noOffset)?.errorCase == .corrupt)

        let atStub = try directory.file("stub.exe")
        dos[0x3C] = 64
        try FileEdit.write(dos, to: atStub)
        #expect(symbolFileError(atStub)?.errorCase == .corrupt)

        let shortHeader = try directory.file("short.exe")
        try FileEdit.write(Array(dos.prefix(40)), to: shortHeader)
        #expect(symbolFileError(shortHeader)?.errorCase == .truncated)

        // A PE signature whose optional header magic is neither PE32 nor PE32+.
        var bad = dos
        bad.replaceSubrange(64..<128, with: repeatElement(0, count: 64))
        bad.replaceSubrange(64..<68, with: [0x50, 0x45, 0, 0])
        bad[64 + 20] = 0xF0  // SizeOfOptionalHeader
        bad[64 + 24] = 0x07; bad[64 + 25] = 0x01
        let badMagic = try directory.file("magic.exe")
        try FileEdit.write(bad + [UInt8](repeating: 0, count: 0x100), to: badMagic)
        let error = try #require(symbolFileError(badMagic))
        #expect(error.errorCase == .corrupt)
        #expect(error.description.contains("optional header magic"))
    }
}
