import Foundation
import Testing
import SymbolStore
import TestSupport
@testable import SymbolFileSystem

/// The mounted tree, driven without FUSE: lookups, negative entries, listings, the flat view for
/// Wine (symsrv-spec.md §6), read-only opens, reads.
struct SymbolFileSystemTests {
    static let pdbKey = "1EB1D7A0DA4F4A3C94EE81A8FDB0ADF21"
    static let peKey = "5C5D1C4E1e8000"
    let source: InMemorySymbolSource
    let fileSystem: SymbolFileSystem

    init() throws {
        source = try InMemorySymbolSource(files: [
            "ntdll.pdb": [Self.pdbKey: Array("pdb bytes".utf8), "00000000000000000000000000000000A": [1, 2, 3]],
            "ntdll.dll": [Self.peKey: Array(repeating: 7, count: 10_000)],
        ], msfz: ["ntdll.pdb/\(Self.pdbKey)"])
        fileSystem = SymbolFileSystem(source: source)
    }

    func lookup(_ path: String) -> LookupResult {
        var parent = SymbolFileSystem.rootInode
        var result = LookupResult.failed(errno: ENOENT)
        for component in path.split(separator: "/") {
            result = fileSystem.lookup(parent: parent, name: String(component))
            guard case .found(let entry) = result else { return result }
            parent = entry.attributes.inode
        }
        return result
    }

    func entry(_ path: String) throws -> Entry {
        guard case .found(let entry) = lookup(path) else {
            Issue.record("\(path): \(lookup(path))")
            throw FileSystemError(ENOENT)
        }
        return entry
    }

    /// Directories only a server could fill are kept by the kernel no longer than a miss; those a store holds,
    /// a day.
    @Test func directoriesOnlyAServerCouldFillAreKeptAsShortlyAsAMiss() throws {
        source.serverBehind = true
        let options = FileSystemOptions()
        let stored = try entry("ntdll.pdb/\(Self.pdbKey)")
        #expect(stored.entryTimeout == options.positiveTimeout)
        #expect(try entry("ntdll.pdb").entryTimeout == options.positiveTimeout)
        #expect(try entry("unknown.pdb").entryTimeout == options.negativeTimeout)
        #expect(try entry("ntdll.pdb/0123456789ABCDEF0123456789ABCDEF1").entryTimeout == options.negativeTimeout)
    }

    func names(_ path: String) throws -> [String] {
        let inode = path == "/" ? SymbolFileSystem.rootInode : try entry(path).attributes.inode
        return try fileSystem.list(directory: inode).get().map(\.name)
    }

    func read(_ path: String) throws -> [UInt8] {
        let opened = try fileSystem.open(inode: try entry(path).attributes.inode, flags: O_RDONLY).get()
        defer { fileSystem.release(handle: opened.handle) }
        switch try fileSystem.read(handle: opened.handle, offset: 0, size: 1 << 20).get() {
        case .bytes(let bytes): return bytes
        case .descriptor(let descriptor, let offset, let length):
            var buffer = [UInt8](repeating: 0, count: length)
            #expect(pread(descriptor, &buffer, length, off_t(offset)) == length)
            return buffer
        }
    }

    @Test func findsAFileByItsStorePath() throws {
        let file = try entry("ntdll.pdb/\(Self.pdbKey)/ntdll.pdb")
        #expect(file.attributes.kind == .file)
        #expect(file.attributes.size == 9)
        #expect(file.attributes.mode == 0o100444)
        #expect(try read("ntdll.pdb/\(Self.pdbKey)/ntdll.pdb") == Array("pdb bytes".utf8))
    }

    @Test func resolvesCaseVariantsEachAsItsOwnNode() throws {
        let lower = try entry("ntdll.pdb/\(Self.pdbKey.lowercased())/ntdll.pdb")
        let upper = try entry("NTDLL.PDB/\(Self.pdbKey)/NTDLL.PDB")
        #expect(lower.attributes.size == upper.attributes.size)
        #expect(lower.attributes.inode != upper.attributes.inode)
    }

    @Test func caseSensitiveModeRejectsOtherSpellings() throws {
        var options = FileSystemOptions()
        options.caseInsensitive = false
        let strict = SymbolFileSystem(source: source, options: options)
        let name = try #require({ if case .found(let e) = strict.lookup(parent: 1, name: "ntdll.pdb") { return e }; return nil }())
        let key = try #require({ if case .found(let e) = strict.lookup(parent: name.attributes.inode, name: Self.pdbKey) { return e }; return nil }())
        #expect(strict.lookup(parent: key.attributes.inode, name: "NTDLL.pdb") == .missing(timeout: options.negativeTimeout))
        #expect(strict.lookup(parent: 1, name: ".ciopfs") == .missing(timeout: options.negativeTimeout))
    }

    @Test func missesAreNegativeEntriesWithTheConfiguredTimeout() {
        let timeout = FileSystemOptions().negativeTimeout
        #expect(lookup("absent.pdb") == .missing(timeout: timeout))
        #expect(lookup("ntdll.pdb/FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF1") == .missing(timeout: timeout))
        #expect(lookup("ntdll.pdb/\(Self.pdbKey)/other.pdb") == .missing(timeout: timeout))
        #expect(fileSystem.statistics.text.contains("lookup_misses 3"))
    }

    @Test(arguments: ["..", ".", "a\\b", "a\u{1}b", String(repeating: "x", count: 256)])
    func namesThatAreNotPlainNeverReachTheSource(_ name: String) {
        #expect(fileSystem.lookup(parent: SymbolFileSystem.rootInode, name: name) == .missing(timeout: 30))
        #expect(source.locateCalls == 0)
    }

    @Test func listsTheUnionOfNamesKeysAndVariants() throws {
        #expect(try names("/") == [".", "..", ".ciopfs", "pingme.txt", ".symfs", "ntdll.dll", "ntdll.pdb"])
        #expect(try Set(names("ntdll.pdb")) == [".", "..", ".ciopfs", Self.pdbKey, "00000000000000000000000000000000A"])
        #expect(try names("ntdll.pdb/\(Self.pdbKey)") == [".", "..", ".ciopfs", "ntdll.pdb", "msfz0"])
        #expect(try names("ntdll.pdb/\(Self.pdbKey)/msfz0") == [".", "..", ".ciopfs", "ntdll.pdb"])
        #expect(try read("ntdll.pdb/\(Self.pdbKey)/msfz0/ntdll.pdb") == Array("pdb bytes".utf8))
    }

    @Test func flatViewListsEveryFileAsKeyDotName() throws {
        let listed = try Set(names(".symfs/flat"))
        #expect(listed.isSuperset(of: ["\(Self.pdbKey).ntdll.pdb", "\(Self.peKey).ntdll.dll",
                                       "00000000000000000000000000000000A.ntdll.pdb"]))
        #expect(try read(".symfs/flat/\(Self.peKey).ntdll.dll") == Array(repeating: 7, count: 10_000))
        #expect(lookup(".symfs/flat/\(Self.peKey)") == .missing(timeout: 30))
    }

    @Test func pingmeAndMarkersAreEmptyFiles() throws {
        #expect(try entry("pingme.txt").attributes.size == 0)
        #expect(try entry("ntdll.pdb/.ciopfs").attributes.kind == .file)
        #expect(try read("pingme.txt") == [])
        #expect(try entry("PINGME.TXT").attributes.inode == (try entry("pingme.txt").attributes.inode))
    }

    @Test func opensForWritingAreReadOnlyErrors() throws {
        let inode = try entry("ntdll.dll/\(Self.peKey)/ntdll.dll").attributes.inode
        for flags in [O_WRONLY, O_RDWR, O_RDONLY | O_TRUNC] {
            #expect(throws: FileSystemError(EROFS)) { try fileSystem.open(inode: inode, flags: flags).get() }
        }
        #expect(throws: FileSystemError(EISDIR)) { try fileSystem.open(inode: 1, flags: O_RDONLY).get() }
    }

    @Test func readsStopAtTheEndOfTheFile() throws {
        let inode = try entry("ntdll.dll/\(Self.peKey)/ntdll.dll").attributes.inode
        let opened = try fileSystem.open(inode: inode, flags: O_RDONLY).get()
        defer { fileSystem.release(handle: opened.handle) }
        #expect(opened.keepCache)
        #expect(try fileSystem.read(handle: opened.handle, offset: 9_000, size: 4096).get().length == 1_000)
        #expect(try fileSystem.read(handle: opened.handle, offset: 10_000, size: 4096).get().length == 0)
        #expect(try fileSystem.read(handle: opened.handle, offset: 0, size: 4096).get().length == 4096)
    }

    @Test func forgottenNodesLoseTheirInodes() throws {
        let before = fileSystem.inodes.count
        let file = try entry("ntdll.dll/\(Self.peKey)/ntdll.dll").attributes.inode
        #expect(fileSystem.inodes.count == before + 3)
        fileSystem.forget(inode: file, count: 1)
        #expect(fileSystem.inodes.count == before + 2)
        #expect(throws: FileSystemError(ENOENT)) { try fileSystem.attributes(of: file).get() }
    }

    @Test func statisticsCountLookupsAndBytes() throws {
        _ = try read("ntdll.pdb/\(Self.pdbKey)/ntdll.pdb")
        let text = try String(decoding: read(".symfs/stats"), as: UTF8.self)
        #expect(text.contains("file_hits 1\n"))
        #expect(text.contains("bytes_read 9\n"))
    }
}
