import Foundation
import Testing
import TestSupport
@testable import SymbolStore

/// Writes into caches are whole or absent (spec §3.6, §7 #4), and what a killed writer left is cleared by the
/// next write in that folder.
@Suite struct AtomicFileWriterTests {
    @Test func aWriteLeavesOnlyTheFinalFile() throws {
        let directory = try TemporaryDirectory("symfs-atomic")
        let final = directory.path + "/a.pdb/KEY/a.pdb"
        try AtomicFileWriter.write(final, expectedSize: 5) { temporary throws(SymbolStoreError) in
            FileManager.default.createFile(atPath: temporary, contents: Data("hello".utf8))
        }
        #expect(FileManager.default.contents(atPath: final) == Data("hello".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path + "/a.pdb/KEY") == ["a.pdb"])
    }

    @Test func aFailedWriteLeavesNoFileAndNoFolder() throws {
        let directory = try TemporaryDirectory("symfs-atomic")
        #expect(throws: SymbolStoreError.self) {
            try AtomicFileWriter.write(directory.path + "/a.pdb/KEY/a.pdb", expectedSize: 5) {
                temporary throws(SymbolStoreError) in
                FileManager.default.createFile(atPath: temporary, contents: Data("hel".utf8))
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func temporariesOfDeadWritersAreRemovedByTheNextWrite() throws {
        let directory = try TemporaryDirectory("symfs-atomic")
        let folder = directory.path + "/a.pdb/KEY"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let exited = Process()
        exited.executableURL = URL(fileURLWithPath: "/bin/true")
        try exited.run()
        exited.waitUntilExit()
        let dead = ".symfs-tmp-\(exited.processIdentifier)-abc"
        let living = ".symfs-tmp-1-def"  // init never exits
        let own = ".symfs-tmp-\(getpid())-ghi"
        for name in [dead, living, own] {
            FileManager.default.createFile(atPath: "\(folder)/\(name)", contents: Data("partial".utf8))
        }
        try AtomicFileWriter.write(folder + "/a.pdb", expectedSize: nil) { temporary throws(SymbolStoreError) in
            FileManager.default.createFile(atPath: temporary, contents: Data("whole".utf8))
        }
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: folder))
        #expect(names == ["a.pdb", living, own])
    }
}
