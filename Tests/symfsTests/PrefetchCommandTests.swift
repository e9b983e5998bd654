import Foundation
import Testing
import TestSupport

/// `symfs prefetch` against nginx serving a store: PE images and a directory of them, manifests written and
/// read, misses and failures in the exit status, bad inputs; then, with nginx stopped, a mount of the same path
/// reads every file from the caches the prefetch filled.
@Suite(.serialized)
struct PrefetchCommandTests {
    static let images = ["dummyprog.exe", "dummylib.dll"]
    /// What the fixture images name in their CodeView records (the PDBs were renamed after the build).
    static let pdbs = [("dummyprog.pdb", "ConsoleApplication1.pdb"), ("dummylib.pdb", "ClassLibrary1.pdb")]

    /// A PyPI-symstore-like store with the images and their PDBs under the names the images give.
    static func upstream(at root: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for image in images {
            let fixture = try ServeCommandTests.fixture(ServeCommandTests.binaries + "/" + image)
            try StoreWriter.place(fixture.path, at: root, fixture.storePath)
            files[fixture.storePath] = fixture.bytes
            let named = try runChecked(Executables.symfs, ["key", "--pdb-of", fixture.path]).standardOutput
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let source = pdbs.first { named.hasPrefix($0.1 + "/") }!.0
            try StoreWriter.place(ServeCommandTests.binaries + "/" + source, at: root, named)
            files[named] = FileManager.default.contents(atPath: ServeCommandTests.binaries + "/" + source)
        }
        return files
    }

    @Test("Images and a directory of them: every file into the cache; offline, a mount reads them all")
    func imagesThenOffline() throws {
        let directory = try TemporaryDirectory("symfs-prefetch")
        let files = try Self.upstream(at: directory.path + "/upstream")
        let cache = directory.path + "/cache"
        var upstream: NginxServer? = try NginxServer(root: directory.path + "/upstream")
        let path = "srv*\(cache)*\(upstream!.baseURL)"
        let inputs = directory.path + "/inputs/nested"
        try FileManager.default.createDirectory(atPath: inputs, withIntermediateDirectories: true)
        for image in Self.images {
            try FileManager.default.copyItem(atPath: ServeCommandTests.binaries + "/" + image, toPath: inputs + "/" + image)
        }
        let result = try run(Executables.symfs, ["prefetch", "-y", path, "-r", directory.path + "/inputs"])
        #expect(result.status == 0, "\(result.standardOutput) \(result.standardError)")
        #expect(result.standardOutput.contains("4 found, 0 missing, 0 failed"), "\(result.standardOutput)")
        for (storePath, bytes) in files {
            let cached = ServeCommandTests.waitForCached(cache, try ServeCommandTests.fixtureNamed(storePath))
            #expect(cached.flatMap { FileManager.default.contents(atPath: $0) } == bytes, "\(storePath) in the cache")
        }
        upstream = nil  // nginx stops: what follows is offline
        let mount = try SymfsMount(symbolPath: path)
        defer { mount.unmount() }
        for (storePath, bytes) in files {
            #expect(FileManager.default.contents(atPath: mount.path(storePath)) == bytes, "\(storePath) offline")
        }
    }

    @Test("A manifest written from images is read back; misses exit 1 unless allowed; a dead server is a failure")
    func manifestsAndOutcomes() throws {
        let directory = try TemporaryDirectory("symfs-prefetch")
        let files = try Self.upstream(at: directory.path + "/upstream")
        let upstream = try NginxServer(root: directory.path + "/upstream")
        let manifest = directory.path + "/needed.txt"
        let images = Self.images.map { ServeCommandTests.binaries + "/" + $0 }
        let written = try run(Executables.symfs, ["prefetch", "--write-manifest", manifest] + images)
        #expect(written.status == 0, "\(written.standardError)")
        let lines = ((try? String(contentsOfFile: manifest, encoding: .utf8)) ?? "").split(separator: "\r\n").map(String.init)
        #expect(Set(lines) == Set(files.keys.map { path -> String in
            let parts = path.split(separator: "/")
            return "\(parts[0]),\(parts[1]),1"
        }), "\(lines)")
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/cache"), "--write-manifest fetched")

        try (lines.joined(separator: "\r\n") + "\r\nabsent.pdb,0123456789ABCDEF0123456789ABCDEF1,1\r\n")
            .write(toFile: manifest, atomically: true, encoding: .utf8)
        let path = "srv*\(directory.path)/cache*\(upstream.baseURL)"
        let missing = try run(Executables.symfs, ["prefetch", "-y", path, "--manifest", manifest, "--json"])
        #expect(missing.status == 1, "\(missing.standardOutput)")
        let report = try JSONSerialization.jsonObject(with: Data(missing.standardOutput.utf8)) as? [String: Any]
        let summary = report?["summary"] as? [String: Any]
        #expect(summary?["found"] as? Int == 4 && summary?["missing"] as? Int == 1, "\(missing.standardOutput)")
        let allowed = try run(Executables.symfs, ["prefetch", "-y", path, "--manifest", manifest, "--allow-missing", "--quiet"])
        #expect(allowed.status == 0 && allowed.standardOutput.contains("4 found, 1 missing"), "\(allowed.standardOutput)")

        let port = try LoopbackPort.free()
        let dead = try run(Executables.symfs, ["prefetch", "-y", "srv*\(directory.path)/other*http://127.0.0.1:\(port)",
                                               "--allow-missing", "--lookup-timeout", "2"] + images)
        #expect(dead.status == 1 && dead.standardOutput.contains("failed"), "\(dead.standardOutput) \(dead.standardError)")
    }

    @Test("Inputs that are neither dumps nor images, and bad manifest lines, are errors for that input alone")
    func badInputs() throws {
        let directory = try TemporaryDirectory("symfs-prefetch")
        _ = try Self.upstream(at: directory.path + "/upstream")
        let text = directory.path + "/notes.txt"
        try "hello".write(toFile: text, atomically: true, encoding: .utf8)
        let manifest = directory.path + "/bad.txt"
        try "a.pdb,NOTHEX!,1\r\n".write(toFile: manifest, atomically: true, encoding: .utf8)
        let result = try run(Executables.symfs, [
            "prefetch", "-y", "srv*\(directory.path)/upstream", text, directory.path + "/absent.dmp",
            ServeCommandTests.binaries + "/truncated.exe", "--manifest", manifest,
            ServeCommandTests.binaries + "/dummyprog.exe"])
        #expect(result.status == 1)
        for expected in ["notes.txt: not a minidump or a PE image", "absent.dmp: No such file", "truncated.exe", "bad.txt: line 1"] {
            #expect(result.standardError.contains(expected), "\(expected): \(result.standardError)")
        }
        #expect(result.standardOutput.contains("2 found"), "the good input was still fetched: \(result.standardOutput)")
    }

    @Test("A minidump Wine wrote: its DLLs by key, then (no CodeView records) the PDBs their images name; offline reads")
    func wineMinidump() throws {
        let directory = try TemporaryDirectory("symfs-prefetch-wine")
        let binaries = directory.path + "/bin"
        try FileManager.default.createDirectory(atPath: binaries, withIntermediateDirectories: true)
        let dlls = try ["alpha", "beta"].map { tag in
            try WindowsBinaries.build(
                name: "\(tag).dll", source: WindowsBinaries.source(tag: "dump-\(tag)"), dll: true, in: binaries)
        }
        let store = directory.path + "/store"
        let stored = try Oracles.symstorePaths(for: dlls.flatMap { [$0.image, $0.pdb] }, storeDirectory: store)
        var upstream: NginxServer? = try NginxServer(root: store)
        let dump = directory.path + "/crash.dmp"
        try WineDumpWriter.writeDump(dump, loading: dlls.map(\.image), in: directory.path, prefix: directory.path + "/prefix")
        let cache = directory.path + "/cache"
        let path = "srv*\(cache)*\(upstream!.baseURL)"
        // Wine's own DLLs are in no store: allowed to be missing.
        let result = try run(Executables.symfs, ["prefetch", "-y", path, dump, "--allow-missing", "--json"])
        #expect(result.status == 0, "\(result.standardOutput.suffix(3000)) \(result.standardError)")
        let report = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        let files = (report?["files"] as? [[String: Any]]) ?? []
        for storePath in stored {
            let parts = storePath.split(separator: "/").map(String.init)
            let row = files.first { ($0["name"] as? String)?.lowercased() == parts[0].lowercased()
                && ($0["key"] as? String)?.uppercased() == parts[1].uppercased() }
            #expect(row?["status"] as? String == "found", "\(storePath): \(row.map { "\($0)" } ?? "not asked")")
        }
        let modules = Set(files.compactMap { $0["module"] as? String }.map { $0.lowercased() })
        #expect(modules.isSuperset(of: ["alpha.dll", "beta.dll"]) && modules.contains("ntdll.dll"), "\(modules)")

        upstream = nil  // nginx stops: what follows is offline
        let mount = try SymfsMount(symbolPath: path)
        defer { mount.unmount() }
        for storePath in stored {
            #expect(FileManager.default.contents(atPath: mount.path(storePath)) == FileManager.default.contents(atPath: store + "/" + storePath),
                    "\(storePath) offline")
        }
    }

    @Test("A crafted dump (yaml2obj) with a CodeView record: image and PDB in one step; truncated or lying dumps are errors")
    func craftedMinidumps() throws {
        let directory = try TemporaryDirectory("symfs-prefetch-crafted")
        let files = try Self.upstream(at: directory.path + "/upstream")
        let upstream = try NginxServer(root: directory.path + "/upstream")
        // dummyprog.exe (5617D4FE8000) names ConsoleApplication1.pdb, GUID F6301B45-62FE-4B4D-B691-192733ECE6B7, age 1.
        let name = Array("ConsoleApplication1.pdb".utf8).map { String(format: "%02X", $0) }.joined()
        let codeView = "52534453" + "451B30F6FE624D4BB691192733ECE6B7" + "01000000" + name + "00"
        let yaml = """
            --- !minidump
            Streams:
              - Type:            ModuleList
                Modules:
                  - Base of Image:   0x0000000140000000
                    Size of Image:   0x00008000
                    Time Date Stamp: 0x5617D4FE
                    Module Name:     'C:\\app\\dummyprog.exe'
                    CodeView Record: \(codeView)
            ...

            """
        try yaml.write(toFile: directory.path + "/crash.yaml", atomically: true, encoding: .utf8)
        let dump = directory.path + "/crash.dmp"
        try runChecked("yaml2obj", [directory.path + "/crash.yaml", "-o", dump])
        let cache = directory.path + "/cache"
        let result = try run(Executables.symfs, ["prefetch", "-y", "srv*\(cache)*\(upstream.baseURL)", dump])
        #expect(result.status == 0, "\(result.standardOutput) \(result.standardError)")
        #expect(result.standardOutput.contains("2 found, 0 missing"), "\(result.standardOutput)")
        for storePath in files.keys where storePath.hasPrefix("dummyprog.exe/") || storePath.hasPrefix("ConsoleApplication1.pdb/") {
            #expect(ServeCommandTests.waitForCached(cache, try ServeCommandTests.fixtureNamed(storePath)) != nil, "\(storePath)")
        }

        let bytes = try #require(FileManager.default.contents(atPath: dump))
        let truncated = directory.path + "/truncated.dmp"
        try bytes.prefix(40).write(to: URL(fileURLWithPath: truncated))
        var lying = bytes
        lying.replaceSubrange(8..<12, with: [0xFF, 0xFF, 0xFF, 0x7F])  // NumberOfStreams
        let liar = directory.path + "/lying.dmp"
        try lying.write(to: URL(fileURLWithPath: liar))
        let bad = try run(Executables.symfs, ["prefetch", "-y", "srv*\(cache)*\(upstream.baseURL)", truncated, liar, dump])
        #expect(bad.status == 1)
        #expect(bad.standardError.contains("truncated.dmp") && bad.standardError.contains("lying.dmp"), "\(bad.standardError)")
        #expect(bad.standardOutput.contains("2 found"), "the good dump was still fetched: \(bad.standardOutput)")
    }
}


extension ServeCommandTests {
    /// A `Fixture` for a store path `name/KEY/name` (its path is not used).
    static func fixtureNamed(_ storePath: String) throws -> Fixture {
        let parts = storePath.split(separator: "/").map(String.init)
        return Fixture(path: "", name: parts[0], key: parts[1])
    }
}
