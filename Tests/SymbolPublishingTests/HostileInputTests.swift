import Foundation
import SymbolPublishing
import Testing
import TestSupport

/// What a store or a command line could smuggle in: paths planted in bookkeeping, names that are bookkeeping,
/// text that would end a field or a line, symbolic links. None may touch anything outside the store or leave
/// bookkeeping that lies.
struct HostileInputTests {
    static let lib = SymstoreFixtures.binary("dummylib.pdb")
    static let program = SymstoreFixtures.binary("dummyprog.exe")

    static func add(_ files: [String], to store: String, options: AddOptions = AddOptions()) throws -> AddReport {
        try SymbolPublisher(root: store, options: options).add(files.map { .init(path: $0, named: true) })
    }

    @Test("A pending record or transaction file naming paths outside the store is refused, and nothing outside goes")
    func plantedPaths() throws {
        let directory = try TemporaryDirectory()
        let store = directory.path + "/store"
        let victim = directory.path + "/victim"
        try FileManager.default.createDirectory(atPath: victim, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: victim + "/secret", contents: Data("keep".utf8))
        _ = try Self.add([Self.lib], to: store)

        try "add 0000000002\r\n1\t../victim\tsecret\r\n".write(
            toFile: store + "/000Admin/.symfs-pending", atomically: true, encoding: .utf8)
        #expect { try Self.add([Self.program], to: store) } throws: { ($0 as? PublishError)?.kind == .corruptStore }
        try FileManager.default.removeItem(atPath: store + "/000Admin/.symfs-pending")

        let transaction = store + "/000Admin/0000000001"
        let original = try String(contentsOfFile: transaction, encoding: .utf8)
        try (original + "\"secret\\../../victim\",\"x\"\r\n").write(toFile: transaction, atomically: true, encoding: .utf8)
        #expect { try TransactionDeleter(root: store).delete(1) } throws: { ($0 as? PublishError)?.kind == .corruptStore }
        #expect(try String(contentsOfFile: victim + "/secret", encoding: .utf8) == "keep")
    }

    @Test("Files named like a store's bookkeeping cannot be added", arguments: [
        "index2.txt", "pingme.txt", "000Admin", "refs.ptr", "file.ptr", ".symfs-tmp-1-x",
    ])
    func bookkeepingNames(name: String) throws {
        let directory = try TemporaryDirectory()
        let store = directory.path + "/store"
        let renamed = directory.path + "/" + name
        try FileManager.default.copyItem(atPath: Self.program, toPath: renamed)
        #expect { try Self.add([renamed], to: store) } throws: { ($0 as? PublishError)?.kind == .badInput }
        #expect(!FileManager.default.fileExists(atPath: store + "/index2.txt"))
    }

    @Test("Text with quotes or line ends is refused before anything is written")
    func fieldInjection() throws {
        let directory = try TemporaryDirectory()
        let store = directory.path + "/store"
        var options = AddOptions()
        options.comment = "x\r\n0000000099,add,file,01/01/2020,00:00:00,\"p\",\"v\",\"c\","
        #expect { try Self.add([Self.lib], to: store, options: options) } throws: { ($0 as? PublishError)?.kind == .badInput }
        options.comment = ""
        options.product = "a\"b"
        #expect { try Self.add([Self.lib], to: store, options: options) } throws: { ($0 as? PublishError)?.kind == .badInput }
        let quoted = directory.path + "/we\"ird"
        try FileManager.default.createDirectory(atPath: quoted, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.lib, toPath: quoted + "/dummylib.pdb")
        #expect { try Self.add([quoted + "/dummylib.pdb"], to: store) } throws: { ($0 as? PublishError)?.kind == .badInput }
        #expect(!FileManager.default.fileExists(atPath: store + "/000Admin"))
    }

    @Test("The file read for its key is the file copied, and the source recorded has its links resolved")
    func symbolicLinks() throws {
        let directory = try TemporaryDirectory()
        let real = directory.path + "/real/sub"
        try FileManager.default.createDirectory(atPath: real, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: SymstoreFixtures.binary("dummyprog.pdb"), toPath: directory.path + "/real/dummyprog.pdb")
        try FileManager.default.copyItem(atPath: Self.lib, toPath: directory.path + "/dummyprog.pdb")
        try FileManager.default.createSymbolicLink(atPath: directory.path + "/link", withDestinationPath: real)
        let store = directory.path + "/store"
        let report = try Self.add([directory.path + "/link/../dummyprog.pdb"], to: store)
        let file = try #require(report.files.first)
        #expect(file.key == "F6301B4562FE4B4DB691192733ECE6B71")
        #expect(file.source == directory.path + "/real/dummyprog.pdb")
        #expect(FileManager.default.contentsEqual(
            atPath: store + "/" + file.path, andPath: SymstoreFixtures.binary("dummyprog.pdb")))
    }

    @Test("del keeps a copy that a transaction without a refs.ptr record still lists")
    func deletionKeepsUnrecordedCopies() throws {
        let directory = try TemporaryDirectory()
        let store = directory.path + "/store"
        _ = try Self.add([Self.lib], to: store)
        var noRecords = AddOptions()
        noRecords.references = false
        _ = try Self.add([Self.lib], to: store, options: noRecords)
        _ = try TransactionDeleter(root: store).delete(1)
        #expect(FileManager.default.fileExists(atPath: store + "/dummylib.pdb/86808261E6FD4CC29DC8D3CEC6FC84AF1/dummylib.pdb"))
        _ = try TransactionDeleter(root: store).delete(2)
        #expect(!FileManager.default.fileExists(atPath: store + "/dummylib.pdb"))
    }

    @Test("A copy added after a pointer removes file.ptr; re-adding with --compress records what is stored")
    func formsAgreeWithRecords() throws {
        let directory = try TemporaryDirectory()
        let store = directory.path + "/store"
        var pointer = AddOptions()
        pointer.pointer = true
        _ = try Self.add([Self.program], to: store, options: pointer)
        _ = try Self.add([Self.program], to: store)
        let keyDirectory = store + "/dummyprog.exe/5617D4FE8000"
        #expect(try FileManager.default.contentsOfDirectory(atPath: keyDirectory).sorted() == ["dummyprog.exe", "refs.ptr"])
        var compress = AddOptions()
        compress.compress = true
        let report = try Self.add([Self.program], to: store, options: compress)
        #expect(report.files.map(\.compressed) == [false])
        let records = ReferenceList(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: keyDirectory + "/refs.ptr")))).records
        #expect(records.map(\.compressed) == [false, false, false])
    }

    @Test("An add rolled back cuts server.txt and history.txt back to their bytes before it")
    func rollbackRestoresBytes() throws {
        let directory = try TemporaryDirectory()
        let store = directory.path + "/store"
        try FileManager.default.copyItem(atPath: SymstoreFixtures.store("new_store_compressed"), toPath: store)
        let history = store + "/000Admin/history.txt"
        let before = try Data(contentsOf: URL(fileURLWithPath: history))
        _ = try Self.add([Self.lib], to: store)
        try "0000000001".write(toFile: store + "/000Admin/lastid.txt", atomically: true, encoding: .utf8)
        try "add 0000000002 server=60 history=\(before.count)\r\n1\tdummylib.pdb/86808261E6FD4CC29DC8D3CEC6FC84AF1\tdummylib.pdb\r\n"
            .write(toFile: store + "/000Admin/.symfs-pending", atomically: true, encoding: .utf8)
        try StoreRecovery(admin: AdminDirectory(root: store)).recover()
        #expect(try Data(contentsOf: URL(fileURLWithPath: history)) == before)
        #expect(try SymstoreFixtures.comparableTree(store) == SymstoreFixtures.comparableTree(SymstoreFixtures.store("new_store_compressed")))
    }
}
