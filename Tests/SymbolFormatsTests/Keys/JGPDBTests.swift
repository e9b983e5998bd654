import Foundation
import SymbolStore
import Testing
import TestSupport
import SymbolFormats

/// PDB 2.0 ("JG") keys: signature `%08X` + age `%x` (spec §2.2). No real JG PDB can be produced here (only
/// Visual C++ 2.0–6.0 wrote them), so these files come from the synthetic writer `SyntheticJGPDB`.
struct JGPDBTests {
    struct Layout: Sendable, CustomStringConvertible {
        var signature: UInt32
        var age: UInt32
        var pageSize: Int
        var streamZeroSize: Int?
        var laterStreamSizes: [Int]
        var expectedKey: String
        var description: String {
            "\(pageSize)-byte pages, stream 0 \(streamZeroSize.map(String.init) ?? "nil") -> \(expectedKey)"
        }

        var file: SyntheticJGPDB {
            var file = SyntheticJGPDB(signature: signature, age: age)
            file.pageSize = pageSize
            file.streamZeroSize = streamZeroSize
            file.laterStreamSizes = laterStreamSizes
            return file
        }
    }

    static let layouts: [Layout] = [
        Layout(signature: 0x37A8_F40E, age: 2, pageSize: 1024, streamZeroSize: 0, laterStreamSizes: [3000, 700],
               expectedKey: "37A8F40E2"),  // the spec's msvcrt.pdb example
        Layout(signature: 0x0000_ABCD, age: 0x2A, pageSize: 512, streamZeroSize: nil, laterStreamSizes: [100],
               expectedKey: "0000ABCD2a"),
        Layout(signature: 0xFFFF_FFFF, age: 0x1_0000, pageSize: 2048, streamZeroSize: 5000, laterStreamSizes: [],
               expectedKey: "FFFFFFFF10000"),
        // 100 empty streams push the root stream onto a second 512-byte page.
        Layout(signature: 0x1234_5678, age: 1, pageSize: 512, streamZeroSize: 1500,
               laterStreamSizes: [600] + Array(repeating: 0, count: 100), expectedKey: "123456781"),
        Layout(signature: 0x89AB_CDEF, age: 0, pageSize: 4096, streamZeroSize: 10, laterStreamSizes: [20_000],
               expectedKey: "89ABCDEF0"),
    ]

    @Test("Signature and age come from the info stream", arguments: layouts)
    func key(layout: Layout) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.file("old.pdb")
        try layout.file.write(to: path)
        let pdb = try JGPDB(path: path)
        #expect(pdb.signature == layout.signature)
        #expect(pdb.age == layout.age)
        #expect(pdb.key == layout.expectedKey)
        #expect(try SymbolFile(path: path) == .pdb20(pdb))
        #expect(try SymbolFile(path: path).key == layout.expectedKey)
    }
}

struct JGPDBBadInputTests {
    @Test("A JG PDB cut short is truncated once its magic is whole, unrecognised before")
    func truncated() throws {
        let directory = try TemporaryDirectory()
        let bytes = SyntheticJGPDB(signature: 0x1111_2222, age: 3).bytes
        let cut = try directory.file("cut.pdb")
        for count in [1, 20, 43, 44, 50, 59, 60, 61, 1023, 1024, 2048, bytes.count - 1] {
            try FileEdit.write(Array(bytes.prefix(count)), to: cut)
            let expected: SymbolFileErrorCase = count < JGPDB.magic.count ? .unrecognized : .truncated
            #expect(symbolFileError(cut)?.errorCase == expected, "cut at \(count)")
        }
    }

    typealias Lie = ByteLie

    /// Header and root stream offsets of a default `SyntheticJGPDB` (1024-byte pages, root stream on page 2
    /// after streams 1–3's pages: info on page 2, type info on 3–5, debug info on 6; the root on page 7).
    static let rootStream = 7 * 1024
    static let lies: [Lie] = [
        Lie(what: "page size 1000", offset: 44, bytes: [0xE8, 0x03, 0, 0], expected: .corrupt),
        Lie(what: "page count 0xFFFF", offset: 50, bytes: [0xFF, 0xFF], expected: .truncated),
        Lie(what: "root size 0", offset: 52, bytes: [0, 0, 0, 0], expected: .corrupt),
        Lie(what: "root size 0x7FFFFFFF", offset: 52, bytes: [0xFF, 0xFF, 0xFF, 0x7F], expected: .corrupt),
        Lie(what: "root page 0xFFFF", offset: 60, bytes: [0xFF, 0xFF], expected: .corrupt),
        Lie(what: "root page 0", offset: 60, bytes: [0, 0], expected: .corrupt),
        Lie(what: "stream count 1", offset: rootStream, bytes: [1, 0], expected: .corrupt),
        Lie(what: "stream count 0xFFFF", offset: rootStream, bytes: [0xFF, 0xFF], expected: .corrupt),
        Lie(what: "info stream nil", offset: rootStream + 4 + 8, bytes: [0xFF, 0xFF, 0xFF, 0xFF], expected: .corrupt),
        Lie(what: "info stream of 8 bytes", offset: rootStream + 4 + 8, bytes: [8, 0, 0, 0], expected: .corrupt),
        Lie(what: "stream 0 of 0x7FFF0000 bytes", offset: rootStream + 4, bytes: [0, 0, 0xFF, 0x7F],
            expected: .corrupt),
        Lie(what: "info stream page 0xFFFF", offset: rootStream + 4 + 4 * 8, bytes: [0xFF, 0xFF], expected: .corrupt),
    ]

    @Test("Lying JG headers and root streams give the error they should", arguments: lies)
    func lyingHeader(lie: Lie) throws {
        let directory = try TemporaryDirectory()
        var bytes = SyntheticJGPDB(signature: 0x1111_2222, age: 3).bytes
        // The offsets above assume this layout; check it so a writer change cannot make them miss.
        #expect(FileEdit.u32(bytes, at: 52) == 4 + 4 * 8 + 5 * 2)
        #expect(bytes[60] == 7 && bytes[61] == 0)
        bytes.replaceSubrange(lie.offset..<lie.offset + lie.bytes.count, with: lie.bytes)
        let path = try directory.file("liar.pdb")
        try FileEdit.write(bytes, to: path)
        let error = try #require(symbolFileError(path))
        #expect(error.errorCase == lie.expected, "\(error)")
    }
}
