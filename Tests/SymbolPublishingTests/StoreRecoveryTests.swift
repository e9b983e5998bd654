import Foundation
import SymbolPublishing
import Testing
import TestSupport

/// What the next writer does with a transaction a killed one left (its pending record), driven by making the
/// state a kill leaves at each step; the kill itself is exercised through the command in PublishCommandTests.
struct StoreRecoveryTests {
    static let pdb = SymstoreFixtures.binary("dummyprog.pdb")
    static let lib = SymstoreFixtures.binary("dummylib.pdb")

    static func add(_ files: [String], to store: String) throws -> AddReport {
        try SymbolPublisher(root: store, options: AddOptions()).add(files.map { .init(path: $0, named: true) })
    }

    @Test("An add killed before lastid.txt committed it is rolled back, whatever it had written")
    func uncommittedAddRolledBack() throws {
        let directory = try TemporaryDirectory()
        let store = directory.path + "/store"
        _ = try Self.add([Self.lib], to: store)
        let committed = try SymstoreFixtures.comparableTree(store)
        // What a writer killed just before writing lastid.txt leaves: every file, refs.ptr, transaction file and
        // server.txt/history.txt line of transaction 2, and its pending record.
        let scratch = try TemporaryDirectory()
        let finished = scratch.path + "/store"
        try FileManager.default.copyItem(atPath: store, toPath: finished)
        _ = try Self.add([Self.pdb, Self.lib], to: finished)
        try FileManager.default.removeItem(atPath: store)
        try FileManager.default.copyItem(atPath: finished, toPath: store)
        try "0000000001".write(toFile: store + "/000Admin/lastid.txt", atomically: true, encoding: .utf8)
        let pending = "add 0000000002\r\n1\tdummyprog.pdb/F6301B4562FE4B4DB691192733ECE6B71\tdummyprog.pdb\r\n"
            + "0\tdummylib.pdb/86808261E6FD4CC29DC8D3CEC6FC84AF1\tdummylib.pdb\r\n"
        try pending.write(toFile: store + "/000Admin/.symfs-pending", atomically: true, encoding: .utf8)
        let leftover = store + "/dummyprog.pdb/F6301B4562FE4B4DB691192733ECE6B71/.symfs-tmp-999999-x"
        FileManager.default.createFile(atPath: leftover, contents: Data([1, 2, 3]))

        try StoreRecovery(admin: AdminDirectory(root: store)).recover()
        #expect(try SymstoreFixtures.comparableTree(store) == committed)

        // The next add takes id 2, as if the killed one had never run.
        #expect(try Self.add([Self.pdb], to: store).id == 2)
    }

    @Test("An add that lastid.txt committed keeps everything; only its pending record goes")
    func committedAddKept() throws {
        let directory = try TemporaryDirectory()
        let store = directory.path + "/store"
        _ = try Self.add([Self.lib, Self.pdb], to: store)
        let committed = try SymstoreFixtures.comparableTree(store)
        let pending = "add 0000000001\r\n1\tdummyprog.pdb/F6301B4562FE4B4DB691192733ECE6B71\tdummyprog.pdb\r\n"
        try pending.write(toFile: store + "/000Admin/.symfs-pending", atomically: true, encoding: .utf8)
        #expect(try StoreRecovery(admin: AdminDirectory(root: store)).recover() != nil)
        #expect(try SymstoreFixtures.comparableTree(store) == committed)
    }

    @Test("A deletion killed after server.txt dropped its line is carried through; one killed before is undone")
    func killedDeletion() throws {
        for committed in [true, false] {
            let directory = try TemporaryDirectory()
            let store = directory.path + "/store"
            try FileManager.default.copyItem(atPath: SymstoreFixtures.store("existing_store"), toPath: store)
            let original = try SymstoreFixtures.comparableTree(store)
            let admin = store + "/000Admin"
            let history = try String(contentsOfFile: admin + "/history.txt", encoding: .utf8)
            try (history + "0000000003,del,0000000002\r\n").write(toFile: admin + "/history.txt", atomically: true, encoding: .utf8)
            try "0000000003".write(toFile: admin + "/lastid.txt", atomically: true, encoding: .utf8)
            if committed {
                let server = try String(contentsOfFile: admin + "/server.txt", encoding: .utf8)
                try server.components(separatedBy: "\r\n").filter { !$0.hasPrefix("0000000002,") }.joined(separator: "\r\n")
                    .write(toFile: admin + "/server.txt", atomically: true, encoding: .utf8)
            }
            let pending = "del 0000000003 deletes=0000000002\r\n0\tdummylib.pdb/86808261E6FD4CC29DC8D3CEC6FC84AF1\tdummylib.pdb\r\n"
            try pending.write(toFile: admin + "/.symfs-pending", atomically: true, encoding: .utf8)

            try StoreRecovery(admin: AdminDirectory(root: store)).recover()
            if committed {
                #expect(!FileManager.default.fileExists(atPath: store + "/dummylib.pdb"))
                #expect(try String(contentsOfFile: admin + "/lastid.txt", encoding: .utf8) == "0000000003")
            } else {
                #expect(try SymstoreFixtures.comparableTree(store) == original)
            }
            #expect(!FileManager.default.fileExists(atPath: admin + "/.symfs-pending"))
        }
    }

    @Test("A pending record that is not one is an error naming it, and nothing changes")
    func garbledPendingRecord() throws {
        let directory = try TemporaryDirectory()
        let store = directory.path + "/store"
        _ = try Self.add([Self.lib], to: store)
        try "what".write(toFile: store + "/000Admin/.symfs-pending", atomically: true, encoding: .utf8)
        let before = try SymstoreFixtures.comparableTree(store)
        #expect { try Self.add([Self.pdb], to: store) } throws: {
            ($0 as? PublishError)?.kind == .corruptStore && "\($0)".contains(".symfs-pending")
        }
        #expect(try SymstoreFixtures.comparableTree(store) == before)
    }
}
