import Foundation
import Testing
import SymbolFileSystem
import TestSupport

/// The adapter under a real kernel mount (root and /dev/fuse; swift-fuse-notes §6), over an in-memory source:
/// what the kernel sees of lookups, negative entries, listings, reads, xattrs and write attempts.
@Suite(.serialized)
struct FUSEAdapterTests {
    static let key = "1EB1D7A0DA4F4A3C94EE81A8FDB0ADF21"
    static let content = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
    let source: InMemorySymbolSource
    let mount: InProcessMount

    init() throws {
        source = try InMemorySymbolSource(files: ["ntdll.pdb": [Self.key: Self.content], "a.dll": ["5C5D1C4E1e8000": [9]]])
        mount = try InProcessMount(fileSystem: SymbolFileSystem(source: source))
    }

    @Test func readsAFileByteIdentical() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: mount.path("ntdll.pdb/\(Self.key)/ntdll.pdb")))
        #expect(Array(data) == Self.content)
    }

    @Test func readsAtOddOffsetsReturnTheFullLength() throws {
        let descriptor = open(mount.path("ntdll.pdb/\(Self.key)/ntdll.pdb"), O_RDONLY)
        #expect(descriptor >= 0)
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 200_000)
        #expect(pread(descriptor, &buffer, 200_000, 12_345) == 200_000)
        #expect(buffer == Array(Self.content[12_345..<212_345]))
        #expect(pread(descriptor, &buffer, 200_000, 250_000) == 50_000)
    }

    @Test func missesAreENOENTAndKeptByTheKernel() throws {
        var status = stat()
        for _ in 0..<3 {
            #expect(stat(mount.path("ntdll.pdb/\(Self.key)/other.pdb"), &status) == -1)
            #expect(errno == ENOENT)
        }
        // The second and third stat were answered by the kernel's negative dentry: one lookup reached us.
        let text = try String(contentsOfFile: mount.path(".symfs/stats"), encoding: .utf8)
        #expect(text.contains("lookup_misses 1\n"))
    }

    @Test func listsDirectories() throws {
        let root = try FileManager.default.contentsOfDirectory(atPath: mount.path(""))
        #expect(Set(root) == [".ciopfs", "pingme.txt", ".symfs", "ntdll.pdb", "a.dll"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: mount.path("ntdll.pdb")).sorted()
            == [".ciopfs", Self.key])
        #expect(try FileManager.default.contentsOfDirectory(atPath: mount.path(".symfs/flat")).sorted()
            == [".ciopfs", "1EB1D7A0DA4F4A3C94EE81A8FDB0ADF21.ntdll.pdb", "5C5D1C4E1e8000.a.dll"])
    }

    @Test func writesAreReadOnlyErrors() throws {
        let file = mount.path("ntdll.pdb/\(Self.key)/ntdll.pdb")
        #expect(open(file, O_WRONLY) == -1 && errno == EROFS)
        #expect(open(mount.path("new.pdb"), O_CREAT | O_WRONLY, 0o644) == -1 && errno == EROFS)
        #expect(mkdir(mount.path("dir"), 0o755) == -1 && errno == EROFS)
        #expect(unlink(file) == -1 && errno == EROFS)
        #expect(rename(file, mount.path("x")) == -1 && errno == EROFS)
        #expect(chmod(file, 0o777) == -1 && errno == EROFS)
    }

    /// Wine reads every entry's user.DOSATTRIB attribute: the answer must be ENODATA, never EIO.
    @Test func extendedAttributesAreAbsentNotErrors() throws {
        let script = """
            import errno, os, sys
            try:
                os.getxattr(sys.argv[1], 'user.DOSATTRIB')
                print('present')
            except OSError as e:
                print(errno.errorcode[e.errno])
            print(len(os.listxattr(sys.argv[1])))
            """
        let output = try runChecked("python3", ["-c", script, mount.path("pingme.txt")]).standardOutput
        #expect(output == "ENODATA\n0\n")
    }

    @Test func statReportsReadOnlyFilesAndDirectories() throws {
        var status = stat()
        #expect(stat(mount.path("ntdll.pdb/\(Self.key)/ntdll.pdb"), &status) == 0)
        #expect(status.st_size == Self.content.count)
        #expect(status.st_mode == S_IFREG | 0o444)
        #expect(stat(mount.path("ntdll.pdb/\(Self.key)"), &status) == 0)
        #expect(status.st_mode == S_IFDIR | 0o555)
    }

    @Test func caseVariantsResolve() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: mount.path("NTDLL.PDB/\(Self.key.lowercased())/Ntdll.Pdb")))
        #expect(data.count == Self.content.count)
    }
}
