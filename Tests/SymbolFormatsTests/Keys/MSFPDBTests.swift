import Foundation
import SymbolStore
import Testing
import TestSupport
import SymbolFormats

/// PDB 7.0 keys (spec §2.2: GUID + DBI age `%x`), on PDBs lld-link writes (fixtures.md), against the paths
/// PyPI `symstore` writes and the GUID/age `pefile` reads from the matching image.
struct MSFPDBTests {
    @Test("The key agrees with symstore and with the image's CodeView record", arguments: KeyFixture.all)
    func keyMatchesOracles(fixture: KeyFixture) throws {
        let directory = try TemporaryDirectory()
        let binary = try fixture.build(in: directory.path)
        let pdb = try MSFPDB(path: binary.pdb)
        let stored = try Oracles.symstorePaths(for: [binary.pdb], storeDirectory: directory.path + "/store")
        #expect(stored == [SymbolKey(name: (binary.pdb as NSString).lastPathComponent, key: pdb.key).storePath])
        let image = try Oracles.pefile(binary.image)
        #expect(pdb.guid.compactText == image.pdbGUID)
        #expect(pdb.dbiAge == image.pdbAge)
        #expect(pdb.infoAge == image.pdbAge)
        #expect(try SymbolFile(path: binary.pdb) == .pdb70(pdb))
    }

    @Test("Different code gives different GUIDs, and each PDB keeps its own")
    func distinctGUIDs() throws {
        let directory = try TemporaryDirectory()
        let binaries = try KeyFixture.buildAll(in: directory.path)
        let keys = try binaries.map { try MSFPDB(path: $0.pdb).key }
        #expect(Set(keys).count == binaries.count)
        let referenced = try binaries.map { try #require(try PEImage(path: $0.image).pdb).key }
        #expect(referenced == keys)
    }

    @Test("The age comes from the DBI stream, not the info stream pdbstr bumps (spec §2.2)")
    func ageFromDBIStream() throws {
        let directory = try TemporaryDirectory()
        let binary = try KeyFixture.all[1].build(in: directory.path)
        let bytes = try FileEdit.bytes(binary.pdb)
        let layout = MSFLayout(bytes)
        let infoAgeOffset = layout.firstPage(of: 1, in: bytes) * layout.pageSize + 8
        let bumped = try directory.file("bumped/beta.pdb")
        try FileEdit.copy(binary.pdb, to: bumped, u32: [(infoAgeOffset, 7)])
        let pdb = try MSFPDB(path: bumped)
        #expect(pdb.infoAge == 7)
        #expect(pdb.dbiAge == 1)
        #expect(pdb.key == pdb.guid.compactText + "1")
        let stored = try Oracles.symstorePaths(for: [bumped], storeDirectory: directory.path + "/store")
        #expect(stored.map(keyComponent) == [pdb.key])
    }

    @Test("Without a DBI stream the key has no age, as symstore.exe files it (spec §2.2, vc140.pdb)",
          arguments: [UInt32(0), 0xFFFF_FFFF])
    func noDBIStream(size: UInt32) throws {
        let directory = try TemporaryDirectory()
        let binary = try KeyFixture.all[0].build(in: directory.path)
        let layout = MSFLayout(try FileEdit.bytes(binary.pdb))
        let edited = try directory.file("nodbi/alpha.pdb")
        try FileEdit.copy(binary.pdb, to: edited, u32: [(layout.sizeOffset(of: 3), size)])
        let pdb = try MSFPDB(path: edited)
        #expect(pdb.dbiAge == nil)
        #expect(pdb.key == pdb.guid.compactText)
        if size == 0 {
            // symstore cannot read a nil (0xFFFFFFFF) stream size; an empty stream it treats as absent too.
            let stored = try Oracles.symstorePaths(for: [edited], storeDirectory: directory.path + "/store")
            #expect(stored.map(keyComponent) == [pdb.key])
        }
    }

    @Test("Only the header, block map, directory and first info and DBI pages are read")
    func readsOnlyNeededPages() throws {
        let directory = try TemporaryDirectory()
        let binary = try KeyFixture.all[2].build(in: directory.path)
        var bytes = try FileEdit.bytes(binary.pdb)
        let layout = MSFLayout(bytes)
        let needed = Set([0, layout.blockMapPage] + layout.directoryPages
            + [layout.firstPage(of: 1, in: bytes), layout.firstPage(of: 3, in: bytes)])
        #expect(needed.count < layout.pageCount / 2)
        for page in 0..<layout.pageCount where !needed.contains(page) {
            bytes.replaceSubrange(page * layout.pageSize..<(page + 1) * layout.pageSize,
                                  with: repeatElement(0xCC, count: layout.pageSize))
        }
        let wiped = try directory.file("wiped.pdb")
        try FileEdit.write(bytes, to: wiped)
        #expect(try MSFPDB(path: wiped) == (try MSFPDB(path: binary.pdb)))
    }
}

/// Truncated PDBs and corrupt stream directories (made by editing real PDBs): each gives the right
/// `SymbolFileError`, never a crash or an allocation sized by the header.
struct MSFPDBBadInputTests {
    @Test("A PDB cut short is truncated once its magic is whole, unrecognised before")
    func truncated() throws {
        let directory = try TemporaryDirectory()
        let binary = try KeyFixture.all[0].build(in: directory.path)
        let bytes = try FileEdit.bytes(binary.pdb)
        let layout = MSFLayout(bytes)
        let cut = try directory.file("cut.pdb")
        let cuts = [1, 16, 31, 32, 40, 55, 56, 100, layout.pageSize - 1, layout.pageSize, layout.pageSize + 1,
                    bytes.count / 2, bytes.count - layout.pageSize, bytes.count - 1]
        for count in cuts {
            try FileEdit.write(Array(bytes.prefix(count)), to: cut)
            let expected: SymbolFileErrorCase = count < MSFPDB.magic.count ? .unrecognized : .truncated
            #expect(symbolFileError(cut)?.errorCase == expected, "cut at \(count)")
        }
    }

    /// A lie written into a real PDB's header or stream directory and the error case it must give.
    struct Lie: Sendable, CustomStringConvertible {
        enum Field: Sendable {
            case pageSize, pageCount, directorySize, blockMapAddress, directoryPage, streamCount
            case streamSize(Int), firstPage(Int)
        }
        var field: Field
        var value: UInt32
        var expected: SymbolFileErrorCase
        var description: String { "\(field) = 0x\(String(value, radix: 16)) -> \(expected)" }

        func offset(in layout: MSFLayout) -> Int {
            switch field {
            case .pageSize: return MSFLayout.pageSizeOffset
            case .pageCount: return MSFLayout.pageCountOffset
            case .directorySize: return MSFLayout.directorySizeOffset
            case .blockMapAddress: return MSFLayout.blockMapAddressOffset
            case .directoryPage: return layout.blockMapPage * layout.pageSize
            case .streamCount: return layout.streamCountOffset
            case .streamSize(let stream): return layout.sizeOffset(of: stream)
            case .firstPage(let stream): return layout.firstPageEntryOffset(of: stream)
            }
        }
    }

    static let lies: [Lie] = [
        Lie(field: .pageSize, value: 4097, expected: .corrupt),
        Lie(field: .pageSize, value: 0, expected: .corrupt),
        Lie(field: .pageCount, value: 0xFFFF_FFF0, expected: .truncated),
        Lie(field: .directorySize, value: 0xFFFF_FFF0, expected: .corrupt),
        Lie(field: .directorySize, value: 0, expected: .corrupt),
        Lie(field: .blockMapAddress, value: 0xFFFF_FFF0, expected: .corrupt),
        Lie(field: .blockMapAddress, value: 0, expected: .corrupt),
        Lie(field: .directoryPage, value: 0xFFFF_FFF0, expected: .corrupt),
        Lie(field: .streamCount, value: 0xFFFF_FFF0, expected: .corrupt),
        Lie(field: .streamCount, value: 0x7FFF_FFFF, expected: .corrupt),
        Lie(field: .streamCount, value: 1, expected: .corrupt),
        Lie(field: .streamSize(1), value: 8, expected: .corrupt),
        Lie(field: .streamSize(1), value: 0xFFFF_FFFF, expected: .corrupt),
        Lie(field: .streamSize(2), value: 0xFFFF_FFF0, expected: .corrupt),
        Lie(field: .streamSize(3), value: 4, expected: .corrupt),
        Lie(field: .firstPage(1), value: 0xFFFF_FFF0, expected: .corrupt),
        Lie(field: .firstPage(3), value: 0x0010_0000, expected: .corrupt),
    ]

    @Test("A corrupt header or stream directory gives the error it should", arguments: lies)
    func corruptDirectory(lie: Lie) throws {
        let directory = try TemporaryDirectory()
        let binary = try KeyFixture.all[3].build(in: directory.path)
        let layout = MSFLayout(try FileEdit.bytes(binary.pdb))
        let edited = try directory.file("edited.pdb")
        try FileEdit.copy(binary.pdb, to: edited, u32: [(lie.offset(in: layout), lie.value)])
        let error = try #require(symbolFileError(edited))
        #expect(error.errorCase == lie.expected, "\(error)")
        #expect(error.description.hasPrefix(edited + ": "))
    }

    @Test("Every directory page number and stream size made huge at once is still only an error")
    func directoryFilledWithHugeValues() throws {
        let directory = try TemporaryDirectory()
        let binary = try KeyFixture.all[4].build(in: directory.path)
        var bytes = try FileEdit.bytes(binary.pdb)
        let layout = MSFLayout(bytes)
        let start = layout.streamCountOffset + 4
        for offset in stride(from: start, to: layout.streamCountOffset + layout.pageSize, by: 4) {
            bytes.replaceSubrange(offset..<offset + 4, with: [0xF0, 0xFF, 0xFF, 0x7F])
        }
        let edited = try directory.file("huge.pdb")
        try FileEdit.write(bytes, to: edited)
        #expect(symbolFileError(edited)?.errorCase == .corrupt)
    }
}
