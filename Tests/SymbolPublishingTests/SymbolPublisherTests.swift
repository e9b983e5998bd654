import Foundation
import SymbolFormats
import SymbolPublishing
import Testing
import TestSupport

/// `add` against stores symstore.exe wrote: the same files, in the same order, with the same product, version
/// and comment give the same tree byte for byte (docs/symbol-stores.md §2.4–2.5).
struct SymbolPublisherTests {
    typealias Transaction = (files: [String], product: String, version: String, compress: Bool)

    static let references: [(store: String, transactions: [Transaction])] = [
        ("existing_store", [
            (["bigage.pdb", "dummyprog.pdb"], "dummyprod", "", false),
            (["dummylib.pdb"], "dummylib", "", false),
        ]),
        ("republished", [
            (["bigage.pdb", "dummyprog.pdb"], "dummyprod", "", false),
            (["dummyprog.pdb"], "dummyprod", "", false),
        ]),
        ("pe_store", [
            (["bigage.pdb", "dummyprog.pdb"], "dummyprod", "", false),
            (["dummylib.pdb"], "dummylib", "", false),
            (["dummylib.dll", "dummyprog.exe"], "peprods", "1.0.1", false),
        ]),
        ("new_store_compressed", [
            (["dummyprog.pdb"], "dummyprod", "", true),
        ]),
    ]

    static func add(_ files: [String], to store: String, options: AddOptions) throws -> AddReport {
        try SymbolPublisher(root: store, options: options)
            .add(files.map { PublishInputs.Candidate(path: $0, named: true) })
    }

    static func options(product: String = "", version: String = "", compress: Bool = false) -> AddOptions {
        var options = AddOptions()
        options.product = product
        options.version = version
        options.compress = compress
        return options
    }

    @Test("add writes what symstore.exe wrote", arguments: references.map(\.store))
    func matchesSymstore(store name: String) throws {
        let transactions = try #require(Self.references.first { $0.store == name }).transactions
        let directory = try TemporaryDirectory()
        let store = directory.path + "/store"
        for (number, transaction) in transactions.enumerated() {
            let report = try Self.add(
                transaction.files.map(SymstoreFixtures.binary), to: store,
                options: Self.options(product: transaction.product, version: transaction.version, compress: transaction.compress))
            #expect(report.id == number + 1)
        }
        let written = try SymstoreFixtures.comparableTree(store)
        let reference = try SymstoreFixtures.comparableTree(SymstoreFixtures.store(name))
        #expect(written.keys.sorted() == reference.keys.sorted())
        for (path, bytes) in reference {
            #expect(written[path] == bytes, "\(path) differs:\n\(String(decoding: written[path] ?? [], as: UTF8.self))\n---\n\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    @Test("Adding to a store whose history.txt ends without a line end ends that line first")
    func appendsAfterUnendedLine() throws {
        let directory = try TemporaryDirectory()
        let store = directory.path + "/store"
        try FileManager.default.copyItem(atPath: SymstoreFixtures.store("new_store_compressed"), toPath: store)
        let history = store + "/000Admin/history.txt"
        let before = [UInt8](try Data(contentsOf: URL(fileURLWithPath: history)))
        #expect(before.last != 0x0A)
        let report = try Self.add([SymstoreFixtures.binary("dummylib.pdb")], to: store, options: Self.options())
        #expect(report.id == 2)
        let after = [UInt8](try Data(contentsOf: URL(fileURLWithPath: history)))
        #expect(Array(after.prefix(before.count + 2)) == before + [0x0D, 0x0A])
        let lines = String(decoding: after, as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines.count == 3 && lines[1].hasPrefix("0000000002,add,file,") && lines[2].isEmpty)
    }

    @Test("Re-adding a file adds a refs.ptr record, not a second copy")
    func republishAddsReference() throws {
        let directory = try TemporaryDirectory()
        let store = directory.path + "/store"
        let pdb = SymstoreFixtures.binary("dummyprog.pdb")
        _ = try Self.add([pdb], to: store, options: Self.options())
        let again = try Self.add([pdb], to: store, options: Self.options())
        #expect(again.files.map(\.outcome) == [.referenced])
        let keyDirectory = store + "/dummyprog.pdb/F6301B4562FE4B4DB691192733ECE6B71"
        #expect(try FileManager.default.contentsOfDirectory(atPath: keyDirectory).sorted() == ["dummyprog.pdb", "refs.ptr"])
        let references = ReferenceList(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: keyDirectory + "/refs.ptr"))))
        #expect(references.records.map(\.id) == [1, 2])
    }

    @Test("A two-tier store (index2.txt) files under the name's first two characters")
    func twoTierLayout() throws {
        let directory = try TemporaryDirectory()
        let store = directory.path + "/store"
        try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: store + "/index2.txt", contents: Data())
        let report = try Self.add([SymstoreFixtures.binary("dummylib.dll")], to: store, options: Self.options())
        #expect(report.files.map { $0.path } == ["du/dummylib.dll/5617D5638000/dummylib.dll"])
        #expect(FileManager.default.fileExists(atPath: store + "/du/dummylib.dll/5617D5638000/refs.ptr"))
    }

    @Test("Pointers: file.ptr holds PATH:source or MSG:text, refs.ptr says ptr, server.txt add,ptr")
    func pointers() throws {
        let directory = try TemporaryDirectory()
        let store = directory.path + "/store"
        let image = SymstoreFixtures.binary("dummyprog.exe")
        var options = Self.options()
        options.pointer = true
        let report = try Self.add([image], to: store, options: options)
        #expect(report.files.map(\.outcome) == [.pointer])
        let keyDirectory = store + "/dummyprog.exe/5617D4FE8000"
        #expect(try String(contentsOfFile: keyDirectory + "/file.ptr", encoding: .utf8) == "PATH:" + image)
        #expect(!FileManager.default.fileExists(atPath: keyDirectory + "/dummyprog.exe"))
        #expect(try String(contentsOfFile: store + "/000Admin/server.txt", encoding: .utf8).contains(",add,ptr,"))

        options.pointer = false
        options.message = "withdrawn"
        _ = try Self.add([image], to: store, options: options)
        #expect(try String(contentsOfFile: keyDirectory + "/file.ptr", encoding: .utf8) == "MSG:withdrawn")
        let records = ReferenceList(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: keyDirectory + "/refs.ptr")))).records
        #expect(records.map(\.content) == [.ptr, .ptr])
        #expect(records.map(\.source) == [image, "MSG:withdrawn"])
    }

    @Test("--no-refs writes no refs.ptr")
    func noReferences() throws {
        let directory = try TemporaryDirectory()
        let store = directory.path + "/store"
        var options = Self.options()
        options.references = false
        _ = try Self.add([SymstoreFixtures.binary("dummylib.pdb")], to: store, options: options)
        let keyDirectory = store + "/dummylib.pdb/86808261E6FD4CC29DC8D3CEC6FC84AF1"
        #expect(try FileManager.default.contentsOfDirectory(atPath: keyDirectory) == ["dummylib.pdb"])
    }

    @Test("A named file that is not a symbol file fails the add before anything is written")
    func namedBadInputChangesNothing() throws {
        let directory = try TemporaryDirectory()
        let store = directory.path + "/store"
        _ = try Self.add([SymstoreFixtures.binary("dummylib.pdb")], to: store, options: Self.options())
        let before = try SymstoreFixtures.comparableTree(store)
        for bad in ["invalid.pdb", "empty.exe", "truncated.exe"] {
            #expect(throws: PublishError.self) {
                try Self.add([SymstoreFixtures.binary("dummyprog.pdb"), SymstoreFixtures.binary(bad)], to: store, options: Self.options())
            }
        }
        #expect(try SymstoreFixtures.comparableTree(store) == before)
    }

    @Test("Files found in a directory that are not symbol files are skipped and reported")
    func directoryBadInputSkipped() throws {
        let directory = try TemporaryDirectory()
        let store = directory.path + "/store"
        let candidates = try PublishInputs.expand([SymstoreFixtures.directory + "/binaries"], recursive: false).candidates
        let report = try SymbolPublisher(root: store, options: Self.options()).add(candidates)
        #expect(report.files.count == 5)
        #expect(report.skipped.map { ($0.path as NSString).lastPathComponent }.sorted() == ["empty.exe", "invalid.pdb", "truncated.exe"])
    }

    @Test("A lastid.txt that is not a number, or names a missing transaction, is an error that changes nothing")
    func corruptAdmin() throws {
        for corruption in ["12ab", "0000000007"] {
            let directory = try TemporaryDirectory()
            let store = directory.path + "/store"
            _ = try Self.add([SymstoreFixtures.binary("dummylib.pdb")], to: store, options: Self.options())
            try corruption.write(toFile: store + "/000Admin/lastid.txt", atomically: true, encoding: .utf8)
            let before = try SymstoreFixtures.comparableTree(store)
            #expect {
                try Self.add([SymstoreFixtures.binary("dummyprog.pdb")], to: store, options: Self.options())
            } throws: { ($0 as? PublishError)?.kind == .corruptStore }
            #expect(try SymstoreFixtures.comparableTree(store) == before)
        }
    }

    @Test("--compress stores a CAB that libmspack reads back byte-identical")
    func compressedCopies() throws {
        let directory = try TemporaryDirectory()
        let store = directory.path + "/store"
        let files = ["bigage.pdb", "dummyprog.exe"].map(SymstoreFixtures.binary)
        let report = try Self.add(files, to: store, options: Self.options(compress: true))
        #expect(report.files.allSatisfy { $0.compressed })
        for (file, source) in zip(report.files, files) {
            #expect(file.path.hasSuffix("_"))
            let extracted = directory.path + "/extracted"
            try Cabinet(path: store + "/" + file.path).extract(to: extracted)
            #expect(try Data(contentsOf: URL(fileURLWithPath: extracted)) == Data(contentsOf: URL(fileURLWithPath: source)))
        }
    }

    @Test("A dry run says what would be stored and writes nothing")
    func dryRun() throws {
        let directory = try TemporaryDirectory()
        let store = directory.path + "/store"
        let report = try SymbolPublisher(root: store, options: Self.options())
            .add([PublishInputs.Candidate(path: SymstoreFixtures.binary("dummylib.dll"), named: true)], dryRun: true)
        #expect(report.id == nil)
        #expect(report.files.map { $0.path } == ["dummylib.dll/5617D5638000/dummylib.dll"])
        #expect(!FileManager.default.fileExists(atPath: store))
    }
}
