import Foundation
import SymbolPublishing
import Testing
import TestSupport

/// `del` as symstore.exe deletes (docs/symbol-stores.md §2.4–2.5), on stores symstore.exe and PyPI symstore wrote.
struct TransactionDeleterTests {
    static func copyOf(_ fixture: String, in directory: TemporaryDirectory) throws -> String {
        let store = directory.path + "/store"
        try FileManager.default.copyItem(atPath: SymstoreFixtures.store(fixture), toPath: store)
        return store
    }

    static func text(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test("Deleting one of two transactions that stored a file keeps the file and the other record")
    func sharedFileStays() throws {
        let directory = try TemporaryDirectory()
        let store = try Self.copyOf("republished", in: directory)
        let record = try TransactionDeleter(root: store).delete(2)
        #expect(record.record == 3)
        let keyDirectory = store + "/dummyprog.pdb/F6301B4562FE4B4DB691192733ECE6B71"
        #expect(FileManager.default.fileExists(atPath: keyDirectory + "/dummyprog.pdb"))
        #expect(ReferenceList(bytes: Array(try Self.text(keyDirectory + "/refs.ptr").utf8)).records.map(\.id) == [1])
        #expect(try Self.text(store + "/000Admin/lastid.txt") == "0000000003")
        #expect(try Self.text(store + "/000Admin/history.txt").hasSuffix("\r\n0000000003,del,0000000002\r\n"))
        #expect(!(try Self.text(store + "/000Admin/server.txt")).contains("0000000002,"))
        #expect(try Self.text(store + "/000Admin/server.txt").hasPrefix("0000000001,add,file,"))
    }

    @Test("Deleting the last transaction that stored a file removes it and its empty directories")
    func lastCopyGoes() throws {
        let directory = try TemporaryDirectory()
        let store = try Self.copyOf("existing_store", in: directory)
        _ = try TransactionDeleter(root: store).delete(1)
        for name in ["bigage.pdb", "dummyprog.pdb"] {
            #expect(!FileManager.default.fileExists(atPath: store + "/" + name))
        }
        #expect(FileManager.default.fileExists(atPath: store + "/dummylib.pdb/86808261E6FD4CC29DC8D3CEC6FC84AF1/dummylib.pdb"))
        #expect(try Self.text(store + "/000Admin/server.txt").components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 1)
        #expect(FileManager.default.fileExists(atPath: store + "/000Admin/0000000001"))
    }

    @Test("An unknown or deleted id is an error that changes nothing")
    func unknownIDChangesNothing() throws {
        let directory = try TemporaryDirectory()
        let store = try Self.copyOf("existing_store", in: directory)
        _ = try TransactionDeleter(root: store).delete(2)
        let before = try SymstoreFixtures.comparableTree(store)
        for id in [2, 3, 9, 0] {
            #expect { try TransactionDeleter(root: store).delete(id) } throws: {
                ($0 as? PublishError)?.kind == .unknownTransaction
            }
        }
        #expect(try SymstoreFixtures.comparableTree(store) == before)
    }

    @Test("file.ptr follows the last remaining record")
    func pointerFollowsLastRecord() throws {
        let directory = try TemporaryDirectory()
        let store = directory.path + "/store"
        let image = SymstoreFixtures.binary("dummyprog.exe")
        var pointer = AddOptions()
        pointer.pointer = true
        var message = AddOptions()
        message.message = "gone"
        for options in [pointer, message] {
            _ = try SymbolPublisher(root: store, options: options).add([.init(path: image, named: true)])
        }
        let keyDirectory = store + "/dummyprog.exe/5617D4FE8000"
        #expect(try Self.text(keyDirectory + "/file.ptr") == "MSG:gone")
        _ = try TransactionDeleter(root: store).delete(2)
        #expect(try Self.text(keyDirectory + "/file.ptr") == "PATH:" + image)
        _ = try TransactionDeleter(root: store).delete(1)
        #expect(!FileManager.default.fileExists(atPath: store + "/dummyprog.exe"))
    }

    @Test("A store PyPI symstore wrote (no refs.ptr): a file goes unless another live transaction lists it")
    func storeWithoutReferences() throws {
        let directory = try TemporaryDirectory()
        let store = directory.path + "/store"
        let pdb = SymstoreFixtures.binary("dummyprog.pdb")
        let lib = SymstoreFixtures.binary("dummylib.pdb")
        try runChecked("symstore", [store, pdb, lib])
        try runChecked("symstore", [store, pdb])
        #expect(!FileManager.default.fileExists(atPath: store + "/dummyprog.pdb/F6301B4562FE4B4DB691192733ECE6B71/refs.ptr"))
        _ = try TransactionDeleter(root: store).delete(1)
        #expect(FileManager.default.fileExists(atPath: store + "/dummyprog.pdb/F6301B4562FE4B4DB691192733ECE6B71/dummyprog.pdb"))
        #expect(!FileManager.default.fileExists(atPath: store + "/dummylib.pdb"))
        _ = try TransactionDeleter(root: store).delete(2)
        #expect(!FileManager.default.fileExists(atPath: store + "/dummyprog.pdb"))
        #expect(try Self.text(store + "/000Admin/lastid.txt") == "0000000004")
    }
}
