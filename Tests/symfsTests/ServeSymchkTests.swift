import Foundation
import Testing
import TestSupport

/// PyPI pdbparse's `symchk.py`, a symbol server client of its own (it asks `name_` first, then `name`, and
/// unpacks a CAB with cabextract), against `symfs serve`.
@Suite(.serialized)
struct ServeSymchkTests {
    typealias Serve = ServeCommandTests

    @Test("symchk.py fetches PDBs by an image's CodeView record and images by their key, plain and from a CAB")
    func pdbparseSymchk() throws {
        let directory = try TemporaryDirectory("symfs-serve-symchk")
        // The fixtures' PDBs were renamed after the build; a store files them under the names the images give.
        let store = directory.path + "/store"
        let renamed = directory.path + "/renamed"
        try FileManager.default.createDirectory(atPath: renamed, withIntermediateDirectories: true)
        let pdbs = [("dummyprog.pdb", "ConsoleApplication1.pdb"), ("dummylib.pdb", "ClassLibrary1.pdb")]
        for (fixture, name) in pdbs {
            try FileManager.default.copyItem(atPath: Serve.binaries + "/" + fixture, toPath: renamed + "/" + name)
        }
        let images = ["dummyprog.exe", "dummylib.dll"].map { Serve.binaries + "/" + $0 }
        try runChecked(Executables.symfs, ["add", "-s", store, "--quiet", renamed + "/ConsoleApplication1.pdb"] + images)
        try runChecked(Executables.symfs, ["add", "-s", store, "--quiet", "--compress", renamed + "/ClassLibrary1.pdb"])
        let downloads = directory.path + "/downloads"
        try FileManager.default.createDirectory(atPath: downloads, withIntermediateDirectories: true)
        let log = try Serve().serving("srv*\(store)", in: directory) { serve in
            // ConsoleApplication1.pdb is stored plain (its .pd_ is a 404), ClassLibrary1.pdb as ClassLibrary1.pd_.
            for (image, (fixture, pdb)) in zip(["dummyprog.exe", "dummylib.dll"], pdbs) {
                let result = try run("symchk.py", ["-u", serve.baseURL, Serve.binaries + "/" + image], directory: downloads)
                let expected = FileManager.default.contents(atPath: Serve.binaries + "/" + fixture)
                let fetched = FileManager.default.contents(atPath: downloads + "/" + pdb)
                #expect(fetched != nil && fetched == expected, "symchk.py \(image): \(result.standardOutput.suffix(600)) \(result.standardError.suffix(600))")
            }
            for image in ["dummyprog.exe", "dummylib.dll"] {
                let result = try run("symchk.py", ["-u", serve.baseURL, "-p", Serve.binaries + "/" + image], directory: downloads)
                let expected = FileManager.default.contents(atPath: Serve.binaries + "/" + image)
                let fetched = FileManager.default.contents(atPath: downloads + "/" + image)
                #expect(fetched != nil && fetched == expected, "symchk.py -p \(image): \(result.standardOutput.suffix(600)) \(result.standardError.suffix(600))")
            }
            return serve.log()
        }
        let asked = Set(log.split(separator: "\n").compactMap { line -> String? in
                let fields = line.split(separator: " ")
                guard let get = fields.firstIndex(of: "GET"), get + 2 < fields.count else { return nil }
                return "\(fields[get + 1]) \(fields[get + 2])"
            })
        // The CAB was asked for and given as stored; a PE key asked in lower case still found its file.
        #expect(asked.contains { $0.hasSuffix("/ClassLibrary1.pd_ 200") }, "\(asked.sorted())")
        #expect(asked.contains { $0.hasSuffix("/ConsoleApplication1.pd_ 404") }, "\(asked.sorted())")
    }
}
