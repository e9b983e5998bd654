import Foundation
import SymbolPublishing
import Testing

/// The bookkeeping files symstore.exe wrote read back and written out again to the same bytes.
struct BookkeepingFormatTests {
    static func files(named name: String) throws -> [String] {
        let root = SymstoreFixtures.directory + "/stores"
        return try #require(FileManager.default.enumerator(atPath: root)).compactMap { $0 as? String }
            .filter { ($0 as NSString).lastPathComponent == name }.map { root + "/" + $0 }
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test("refs.ptr records round-trip byte for byte, the last without a line end")
    func referenceLists() throws {
        let paths = try Self.files(named: "refs.ptr")
        #expect(paths.count >= 10)
        for path in paths {
            let bytes = try Self.bytes(path)
            let list = ReferenceList(bytes: bytes)
            #expect(!list.records.isEmpty)
            #expect(list.bytes == bytes, "\(path)")
        }
        let record = try #require(ReferenceRecord(line: #"0000000003,file,"C:\a,b\"c\dummylib.dll",bin,,Y,,"#))
        #expect(record.id == 3 && record.content == .file && record.symbols == "bin" && record.compressed)
        #expect(record.source == #"C:\a,b\"c\dummylib.dll"#)
    }

    @Test("server.txt and history.txt lines round-trip; a deletion line reads as one")
    func transactionRecords() throws {
        for name in ["server.txt", "history.txt"] {
            for path in try Self.files(named: name) {
                for line in String(decoding: try Self.bytes(path), as: UTF8.self).split(separator: "\r\n") {
                    let record = try #require(TransactionRecord(line: String(line)))
                    #expect(record.line == line)
                }
            }
        }
        let deletion = try #require(TransactionRecord(line: "0000000105,del,0000000096"))
        #expect(deletion.id == 105 && deletion.action == .delete(id: 96))
        #expect(TransactionRecord(line: "garbage") == nil)
    }

    @Test("Transaction files' lines round-trip")
    func transactionEntries() throws {
        let root = SymstoreFixtures.directory + "/stores"
        let admin = try #require(FileManager.default.enumerator(atPath: root)).compactMap { $0 as? String }
            .filter { $0.contains("000Admin/00000") }
        #expect(admin.count >= 5)
        for relative in admin {
            let text = String(decoding: try Self.bytes(root + "/" + relative), as: UTF8.self)
            for line in text.split(separator: "\r\n") {
                let entry = try #require(TransactionEntry(line: String(line)))
                #expect(entry.line == line)
                #expect(entry.source.hasSuffix("\\" + entry.name))
            }
        }
        #expect(TransactionEntry(line: #"ntdll.pdb\ABC,\\server\share\ntdll.pdb"#)?.key == "ABC")
    }
}
