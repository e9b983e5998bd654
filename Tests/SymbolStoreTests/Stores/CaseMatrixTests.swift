import Foundation
import Testing
import TestSupport
@testable import SymbolStore
@testable import SymbolHTTP

/// Any-case lookups over a case-sensitive server (nginx): stores as symstore.exe, PyPI symstore and SSQP write
/// them and by hand in mixed case, each file asked in every spelling by a store that knows nothing of the server
/// yet (a first lookup), counting the requests nginx saw for it (index2.txt and 000Admin, read once per server,
/// aside).
@Suite(.serialized) struct CaseMatrixTests {
    let samples = Samples.shared
    /// A store symstore.exe wrote (Tests/Fixtures/symstore-exe, with its LICENSE).
    static let fixtureStore = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/symstore-exe/stores/pe_store").path

    struct StoredFile {
        var writer: String
        var root: String
        var name: String
        var key: String
        var bytes: Data
        /// Whether every spelling must find it; else only the name as written does (a name in mixed case on a
        /// server that does not publish `000Admin`: no rule can guess it).
        var anyCase = true
    }

    /// The request spellings, as (label, name, key) from the stored name and key.
    static func spellings(name: String, key: String) -> [(String, String, String)] {
        let canonical = SpellingCandidates.canonicalKey(key)
        let alternating = String(name.enumerated().map { $0.offset % 2 == 0 ? Character($0.element.uppercased()) : Character($0.element.lowercased()) })
        let titled = name.split(separator: ".", omittingEmptySubsequences: false)
            .map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }.joined(separator: ".")
        let mixed = titled == name ? String(name.map { $0.isUppercase ? Character($0.lowercased()) : Character($0.uppercased()) }) : titled
        return [
            ("as written", name, key),
            ("SymSrv (name as written, canonical key)", name, canonical),
            ("all lower (SSQP)", name.lowercased(), key.lowercased()),
            ("all upper", name.uppercased(), key.uppercased()),
            ("upper name, canonical key", name.uppercased(), canonical),
            ("lower name, canonical key", name.lowercased(), canonical),
            ("alternating name, lower key", alternating, key.lowercased()),
            ("mixed name, upper key", mixed, key.uppercased()),
        ]
    }

    private func storedFiles(in temporary: TemporaryDirectory) throws -> [StoredFile] {
        var files: [StoredFile] = []
        // symstore.exe (the fixtures): names as given, canonical keys, 000Admin.
        let fixture = temporary.path + "/symstore-exe"
        try FileManager.default.copyItem(atPath: Self.fixtureStore, toPath: fixture)
        for (name, key) in [("bigage.pdb", "C9A61DDDD7E44353A668E39AC614A7EAa"), ("dummylib.dll", "5617D5638000")] {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(fixture)/\(name)/\(key)/\(name)"))
            files.append(StoredFile(writer: "symstore.exe", root: fixture, name: name, key: key, bytes: bytes))
        }
        // PyPI symstore: the file name as given (here lower, and upper case), its key, 000Admin.
        for (folder, fileName) in [("pypi", samples.betaImage.name), ("pypi-upper", samples.alphaPDB.name.uppercased())] {
            let root = temporary.path + "/" + folder
            let source = temporary.path + "/sources-\(folder)/" + fileName
            try StoreWriter.place(fileName == samples.betaImage.name ? samples.betaImage.path : samples.alphaPDB.path,
                                  at: temporary.path, "sources-\(folder)/" + fileName)
            let written = try #require(try Oracles.symstorePaths(for: [source], storeDirectory: root).first)
            let parts = written.split(separator: "/").map(String.init)
            files.append(StoredFile(
                writer: "PyPI symstore", root: root, name: parts[0], key: parts[1],
                bytes: try Data(contentsOf: URL(fileURLWithPath: root + "/" + written))))
        }
        // SSQP by hand: everything lower case, no 000Admin.
        let ssqp = temporary.path + "/ssqp"
        let pdb = samples.alphaPDB
        try StoreWriter.place(pdb.path, at: ssqp, "\(pdb.name)/\(pdb.key.lowercased())/\(pdb.name)")
        files.append(StoredFile(writer: "SSQP, by hand", root: ssqp, name: pdb.name, key: pdb.key.lowercased(), bytes: pdb.bytes))
        // Mixed case by hand, with a 000Admin as symstore.exe writes it (served, and not: below).
        let mixedName = "Alpha.Pdb"
        let canonical = SpellingCandidates.canonicalKey(pdb.key)
        let mixed = temporary.path + "/mixed"
        try StoreWriter.place(pdb.path, at: mixed, "\(mixedName)/\(canonical)/\(mixedName)")
        try StoreWriter.write("0000000001", at: mixed, "000Admin/lastid.txt")
        try StoreWriter.write("\"\(mixedName)\\\(canonical)\",\"C:\\build\\\(mixedName)\"\r\n", at: mixed, "000Admin/0000000001")
        files.append(StoredFile(writer: "mixed case, by hand", root: mixed, name: mixedName, key: canonical, bytes: pdb.bytes))
        return files
    }

    /// Every file in every spelling, each a first lookup; a miss costs at most 18 probes and a hit at most one
    /// more (the case check), in at most two round trips plus that check. The matrix is printed for the record.
    @Test func everySpellingFindsEveryFileWritersProduce() throws {
        let temporary = try TemporaryDirectory()
        var table = ["| stored by | stored as | asked as | found | requests |", "|---|---|---|---|---|"]
        var servings: [(StoredFile, String)] = []
        for file in try storedFiles(in: temporary) {
            servings.append((file, ""))
            if FileManager.default.fileExists(atPath: file.root + "/000Admin") {
                // The same store on a server that publishes the symbol files only (S3 uploads, for one).
                var hidden = file
                hidden.writer += " (000Admin not served)"
                hidden.anyCase = file.name == file.name.lowercased() || file.name == file.name.uppercased()
                servings.append((hidden, "location ^~ /000Admin/ { return 404; }"))
            }
        }
        for (file, directives) in servings {
            let nginx = try NginxServer(root: file.root, extraServerDirectives: directives)
            for (label, name, key) in Self.spellings(name: file.name, key: file.key) {
                let before = nginx.accessLog().count
                let store = HTTPSymbolStore(
                    baseURL: nginx.baseURL, client: HTTPClient(configuration: HTTPConfiguration(retries: 0)),
                    options: StoreOptions())
                let hit = try store.lookup(SymbolRequest(name: name, key: key))
                let asked = nginx.accessLog().dropFirst(before)
                let probes = asked.filter { $0.path != "/index2.txt" && !$0.path.hasPrefix("/000Admin/") }
                let expected = file.anyCase || name == file.name
                table.append("| \(file.writer) | `\(file.name)/\(file.key)` | \(label): `\(name)/\(key)` | \(hit != nil ? "yes" : "no") | \(probes.count) |")
                #expect((hit != nil) == expected, "\(file.writer) \(file.name)/\(file.key) asked as \(name)/\(key)")
                // A miss: every spelling in every form, the spellings counted as the store makes them. A hit:
                // the probes up to it (one when the first spelling hits), and the case check's two after it.
                let spellingCount = Set(SpellingRule.probeOrder.map { $0.spelling(of: SymbolRequest(name: name, key: key)) }).count
                if hit == nil {
                    #expect(probes.count == 3 * spellingCount, "\(probes.map(\.path))")
                } else if probes.count != 3 {
                    #expect(probes.count <= 3 * spellingCount + 2 && probes.count >= 4, "\(probes.map(\.path))")
                }
                guard let hit, case .remote(let remote) = hit.form else { continue }
                #expect(remote.url == "\(nginx.baseURL)/\(file.name)/\(file.key)/\(file.name)")
                #expect(hit.size == UInt64(file.bytes.count))
                #expect(hit.spelling == StoreSpelling(name: file.name, key: file.key))
                let body = try #require(asked.first { $0.path == "/\(file.name)/\(file.key)/\(file.name)" })
                #expect(body.status == 206)
            }
        }
        print(table.joined(separator: "\n"))
    }
}
