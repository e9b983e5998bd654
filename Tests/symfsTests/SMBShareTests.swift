import Foundation
import Testing
import TestSupport

/// The mount shared by Debian's smbd as a File Share (SMB) symbol server, with the share section of
/// Mount/symbols-share.conf, read by smbclient as a Windows debugger reads `\\host\symbols`: a local store and an
/// HTTP server behind one share, every spelling of name, key and file name, misses, refused writes.
@Suite(
    .serialized,
    .enabled(if: getuid() == 0, "mounting with allow_other and running smbd need root"),
    .enabled(if: FileManager.default.fileExists(atPath: "/dev/fuse"), "needs /dev/fuse"),
    .enabled(if: SambaServer.isInstalled, "needs Debian's samba and smbclient (Mount/install-dependencies)"))
struct SMBShareTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/symstore-exe").path

    /// A file as symstore.exe stored it (Tests/Fixtures/symstore-exe/stores/pe_store), and its original.
    struct StoredFile: Sendable, CustomStringConvertible {
        var name: String
        var key: String
        var original: String { SMBShareTests.fixtures + "/binaries/" + name }
        var stored: String { SMBShareTests.fixtures + "/stores/pe_store/\(name)/\(key)/\(name)" }
        var relative: String { "\(name)/\(key)/\(name)" }
        var description: String { relative }
    }

    /// Only in the local store.
    static let local = StoredFile(name: "bigage.pdb", key: "C9A61DDDD7E44353A668E39AC614A7EAa")
    /// Only on the HTTP server, spelled as symstore.exe spells them: names as the files are, keys in Microsoft's
    /// case.
    static let served = [
        StoredFile(name: "dummylib.dll", key: "5617D5638000"),
        StoredFile(name: "dummylib.pdb", key: "86808261E6FD4CC29DC8D3CEC6FC84AF1"),
        StoredFile(name: "dummyprog.exe", key: "5617D4FE8000"),
        StoredFile(name: "dummyprog.pdb", key: "F6301B4562FE4B4DB691192733ECE6B71"),
    ]

    /// How a client spells `name\key\name`.
    enum Spelling: String, CaseIterable, Sendable {
        case exact, upper, lower
        /// `NAME\key\Name.Ext`
        case upperNameLowerKey
        /// `name\KEY\NAME.EXT`
        case lowerNameUpperKey

        func path(_ file: StoredFile) -> String {
            let (name, key, fileName): (String, String, String)
            switch self {
            case .exact: (name, key, fileName) = (file.name, file.key, file.name)
            case .upper: (name, key, fileName) = (file.name.uppercased(), file.key.uppercased(), file.name.uppercased())
            case .lower: (name, key, fileName) = (file.name.lowercased(), file.key.lowercased(), file.name.lowercased())
            case .upperNameLowerKey:
                (name, key, fileName) = (file.name.uppercased(), file.key.lowercased(), Self.capitalized(file.name))
            case .lowerNameUpperKey:
                (name, key, fileName) = (file.name.lowercased(), file.key.uppercased(), file.name.uppercased())
            }
            return "\(name)\\\(key)\\\(fileName)"
        }

        /// `Dummylib.Dll`
        static func capitalized(_ name: String) -> String {
            name.split(separator: ".", omittingEmptySubsequences: false)
                .map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }.joined(separator: ".")
        }
    }

    let scratch: TemporaryDirectory
    let server: NginxServer
    let mount: SymfsMount
    let samba: SambaServer

    init() throws {
        let scratch = try TemporaryDirectory("symfs-smb")
        let (store, served) = (scratch.path + "/store", scratch.path + "/served")
        try StoreWriter.place(Self.local.original, at: store, Self.local.relative)
        for file in Self.served { try StoreWriter.place(file.stored, at: served, file.relative) }
        self.scratch = scratch
        server = try NginxServer(root: served)
        mount = try SymfsMount(
            symbolPath: "srv*\(store);srv*\(scratch.path)/cache*\(server.baseURL)", arguments: ["-o", "allow_other"])
        // smbd reads the share as its guest account (nobody), which must reach the mountpoint.
        chmod(mount.directory.path, 0o755)
        samba = try SambaServer(share: SambaServer.exampleShare(path: mount.mountpoint))
        try FileManager.default.createDirectory(atPath: scratch.path + "/downloads", withIntermediateDirectories: true)
    }

    var store: String { scratch.path + "/store" }
    var cache: String { scratch.path + "/cache" }
    var downloads: String { scratch.path + "/downloads" }

    /// `get` of `remote` into a fresh local file: what smbclient printed, and the bytes when it got the file.
    func get(_ remote: String) throws -> (output: String, bytes: Data?) {
        let local = downloads + "/\(UUID().uuidString)"
        let result = try samba.smbclient("get \"\(remote)\" \(local)")
        return (result.standardOutput + result.standardError, FileManager.default.contents(atPath: local))
    }

    @Test("Local-store and HTTP-only files read byte-identical through the share, however the path is spelled",
          arguments: Spelling.allCases)
    func filesReadInAnySpelling(_ spelling: Spelling) throws {
        for file in [Self.local] + Self.served {
            let remote = spelling.path(file)
            let (output, bytes) = try get(remote)
            let original = FileManager.default.contents(atPath: file.original)
            #expect(original != nil && bytes == original, "\(remote): \(output)")
        }
    }

    @Test("A file asked again in another spelling reads the same")
    func filesReadAgainInEverySpelling() throws {
        for spelling in Spelling.allCases {
            for file in [Self.local] + Self.served {
                let (output, bytes) = try get(spelling.path(file))
                let original = FileManager.default.contents(atPath: file.original)
                #expect(original != nil && bytes == original, "\(spelling.path(file)): \(output)")
            }
        }
    }

    @Test("A missing file is OBJECT_NAME_NOT_FOUND, a missing folder OBJECT_PATH_NOT_FOUND")
    func missesAreNotFound() throws {
        let absent = try get("absent.pdb\\0123456789ABCDEF0123456789ABCDEF1\\absent.pdb")
        #expect(absent.output.contains("NT_STATUS_OBJECT_NAME_NOT_FOUND"), "\(absent.output)")
        #expect(absent.bytes == nil)
        let wrongName = try get("bigage.pdb\\\(Self.local.key)\\other.pdb")
        #expect(wrongName.output.contains("NT_STATUS_OBJECT_NAME_NOT_FOUND"), "\(wrongName.output)")
        let folder = try get("bigage.pdb\\\(Self.local.key)\\folder\\bigage.pdb")
        #expect(folder.output.contains("NT_STATUS_OBJECT_PATH_NOT_FOUND"), "\(folder.output)")
        #expect(folder.bytes == nil)
        #expect(server.accessLog().contains { $0.path.lowercased().contains("/absent.pdb/") }, "the server was asked")
    }

    @Test("Writes are refused and nothing lands in the mount or its stores")
    func writesAreRefused() throws {
        let source = try scratch.file("upload.pdb")
        try Data("not a symbol file".utf8).write(to: URL(fileURLWithPath: source))
        let local = Spelling.exact.path(Self.local)
        let key = "bigage.pdb\\\(Self.local.key)"
        // Any name at the root looks up as a directory (the server may hold it): a folder made there collides.
        let refusals = [
            ("put \(source) upload.pdb", "NT_STATUS_ACCESS_DENIED opening remote file"),
            ("put \(source) \"\(key)\\upload.pdb\"", "NT_STATUS_ACCESS_DENIED opening remote file"),
            ("mkdir folder", "NT_STATUS_OBJECT_NAME_COLLISION making remote directory"),
            ("mkdir \"\(key)\\folder\"", "NT_STATUS_ACCESS_DENIED making remote directory"),
            ("del \"\(local)\"", "NT_STATUS_ACCESS_DENIED deleting remote file"),
            ("rename \"\(local)\" \"\(key)\\renamed.pdb\"", "NT_STATUS_ACCESS_DENIED renaming files"),
            ("rmdir \"\(key)\"", "NT_STATUS_ACCESS_DENIED removing remote directory"),
        ]
        for (command, status) in refusals {
            let result = try samba.smbclient(command)
            let output = result.standardOutput + result.standardError
            #expect(output.contains(status), "\(command): \(output)")
        }
        // Every name at the root looks up, so the root is checked by listing it.
        let root = try FileManager.default.contentsOfDirectory(atPath: mount.path(""))
        #expect(!root.contains("upload.pdb") && !root.contains("folder"), "\(root)")
        for name in ["upload.pdb", "folder", "renamed.pdb"] {
            let path = mount.path("bigage.pdb/\(Self.local.key)/\(name)")
            #expect(!FileManager.default.fileExists(atPath: path), "\(name)")
        }
        let stores = try run("find", [store, cache, "-name", "upload.pdb", "-o", "-name", "folder", "-o",
                                      "-name", "renamed.pdb"]).standardOutput
        #expect(stores.isEmpty, "\(stores)")
        #expect(try get(local).bytes == FileManager.default.contents(atPath: Self.local.original))
    }

    @Test("The share's root lists pingme.txt and the local stores' names; pingme.txt reads")
    func rootListsAndPingmeReads() throws {
        let listing = try samba.smbclient("ls")
        let names = Set(listing.standardOutput.split(separator: "\n").compactMap {
            $0.split(separator: " ", omittingEmptySubsequences: true).first.map(String.init)
        })
        #expect(names.isSuperset(of: ["pingme.txt", "bigage.pdb"]), "\(listing.standardOutput)")
        #expect(!names.contains("dummylib.dll"), "the server's names are not listed: \(listing.standardOutput)")
        let keys = try samba.smbclient("ls \"BIGAGE.PDB\\*\"")
        #expect(keys.standardOutput.contains(Self.local.key), "\(keys.standardOutput)")
        let pingme = try get("pingme.txt")
        #expect(pingme.bytes == FileManager.default.contents(atPath: mount.path("pingme.txt")), "\(pingme.output)")
        #expect(try get("PINGME.TXT").bytes == pingme.bytes, "in any case, as Windows may ask it")
    }
}
