import Foundation
import Testing
import TestSupport
@testable import SymbolStore
@testable import SymbolHTTP

/// What an HTTP store learns of its server's handling of case, and the spellings `000Admin` gives.
@Suite(.serialized) struct ServerCasingTests {
    let samples = Samples.shared
    let clock = ManualTimeSource()

    private func store(_ base: String) -> HTTPSymbolStore {
        HTTPSymbolStore(
            baseURL: base, client: HTTPClient(configuration: HTTPConfiguration(retries: 0)), options: StoreOptions(),
            settings: HTTPStoreSettings(clock: clock))
    }

    private func url(_ hit: StoreHit?) -> String? {
        if case .remote(let file)? = hit?.form { return file.url }
        return nil
    }

    /// A server that finds names in any case (Microsoft's, IIS; here the fault server told to) is recognised by
    /// its first hit, asked once more in upper case beside a file no store holds; after that a miss costs `name`, `name_` and `file.ptr` in
    /// Microsoft's spelling only, and a hit in any case one request.
    @Test func caseInsensitiveServerMissesCostThreeProbes() throws {
        let temporary = try TemporaryDirectory()
        let sample = samples.alphaPDB
        try StoreWriter.place(sample.path, at: temporary.path, "\(sample.name)/\(sample.key)/\(sample.name)")
        let server = try FaultServer(root: temporary.path, caseInsensitive: true)
        let store = store(server.baseURL)
        #expect(url(try store.lookup(sample.request)) != nil)
        let check = "/\(sample.name.uppercased())/\(sample.key)/\(sample.name.uppercased())"
        #expect(server.requests().suffix(2).map(\.path).sorted()
            == [check, "/\(sample.name.uppercased())/SymbolFS-case-check/\(sample.name.uppercased())"].sorted(),
            "\(server.requests().map(\.path))")
        #expect(store.casing.sensitivity == .insensitive)

        server.clearRequests()
        let missing = SymbolRequest(name: "Missing.PDB", key: "0123456789abcdef0123456789abcdef1")
        #expect(try store.lookup(missing) == nil)
        let canonical = "/Missing.PDB/0123456789ABCDEF0123456789ABCDEF1"
        #expect(server.requests().first?.path == canonical + "/Missing.PDB")
        #expect(Set(server.requests().map(\.path)) == [canonical + "/Missing.PDB", canonical + "/Missing.PD_", canonical + "/file.ptr"])
        #expect(server.requests().count == 3, "\(server.requests().map(\.path))")

        server.clearRequests()
        let shouted = SymbolRequest(name: sample.name.uppercased(), key: sample.key.lowercased())
        #expect(url(try store.lookup(shouted)) != nil)
        #expect(server.requests().count == 1, "\(server.requests().map(\.path))")
    }

    /// A case-sensitive server: the first hit's check gets a 404, and the spelling rule of its hits is asked
    /// first from then on, so an SSQP (lower-case) store answers in one request.
    @Test func caseSensitiveServerHitsInItsOwnSpellingFirst() throws {
        let temporary = try TemporaryDirectory()
        for sample in [samples.alphaImage, samples.betaImage] {
            let lower = "\(sample.name.lowercased())/\(sample.key.lowercased())/\(sample.name.lowercased())"
            try StoreWriter.place(sample.path, at: temporary.path, lower)
        }
        let nginx = try NginxServer(root: temporary.path)
        let store = store(nginx.baseURL)
        #expect(url(try store.lookup(SymbolRequest(name: "Alpha.EXE", key: samples.alphaImage.key))) != nil)
        #expect(store.casing.sensitivity == .sensitive)
        #expect(store.casing.preferred == SpellingRule(name: .lower, key: .lower))
        let before = nginx.accessLog().count
        let beta = SymbolRequest(name: "BETA.DLL", key: samples.betaImage.key.uppercased())
        let hit = try store.lookup(beta)
        let beta1 = samples.betaImage
        #expect(url(hit) == "\(nginx.baseURL)/\(beta1.name)/\(beta1.key.lowercased())/\(beta1.name)")
        #expect(nginx.accessLog().dropFirst(before).map(\.path) == ["/\(beta1.name)/\(beta1.key.lowercased())/\(beta1.name)"])
    }

    /// A store's own option to be case-sensitive asks the request's spelling only, and never the case check.
    @Test func caseSensitiveOptionAsksOneSpelling() throws {
        let temporary = try TemporaryDirectory()
        let sample = samples.alphaPDB
        try StoreWriter.place(sample.path, at: temporary.path, "\(sample.name)/\(sample.key)/\(sample.name)")
        let nginx = try NginxServer(root: temporary.path)
        let store = HTTPSymbolStore(
            baseURL: nginx.baseURL, client: HTTPClient(configuration: HTTPConfiguration(retries: 0)),
            options: StoreOptions(caseInsensitive: false), settings: HTTPStoreSettings(clock: clock))
        #expect(try store.lookup(SymbolRequest(name: "ALPHA.PDB", key: sample.key)) == nil)
        #expect(url(try store.lookup(sample.request)) != nil)
        #expect(!nginx.accessLog().contains { $0.path.hasPrefix("/000Admin/") })
        let probes = nginx.accessLog().filter { $0.path != "/index2.txt" }
        #expect(probes.map(\.path).filter { $0.hasPrefix("/ALPHA.PDB/") }.count == 3, "\(probes.map(\.path))")
        #expect(probes.count == 4, "\(probes.map(\.path))")
        #expect(store.casing.sensitivity == .unknown)
    }

    /// A mixed-case name added to `000Admin` after the server's index was read is found by a miss after the
    /// refresh period (one more round for the spelling it names), not before; `lastid.txt` is asked again then.
    @Test func adminIndexIsReadAgainAfterTheRefreshPeriod() throws {
        let temporary = try TemporaryDirectory()
        let root = temporary.path
        let alpha = samples.alphaPDB
        try StoreWriter.place(alpha.path, at: root, "Alpha.Pdb/\(alpha.key)/Alpha.Pdb")
        try StoreWriter.write("0000000001", at: root, "000Admin/lastid.txt")
        try StoreWriter.write("\"Alpha.Pdb\\\(alpha.key)\",\"C:\\b\\Alpha.Pdb\"\r\n", at: root, "000Admin/0000000001")
        let nginx = try NginxServer(root: root)
        let store = store(nginx.baseURL)
        let first = try store.lookup(SymbolRequest(name: "alpha.pdb", key: alpha.key))
        #expect(url(first) == "\(nginx.baseURL)/Alpha.Pdb/\(alpha.key)/Alpha.Pdb")

        let beta = samples.betaPDB
        try StoreWriter.place(beta.path, at: root, "BeTa.pdb/\(beta.key)/BeTa.pdb")
        try StoreWriter.write("0000000003", at: root, "000Admin/lastid.txt")  // 2 was deleted
        try StoreWriter.write("BeTa.pdb\\\(beta.key),C:\\b\\BeTa.pdb\n", at: root, "000Admin/0000000003")
        let asked = SymbolRequest(name: "beta.PDB", key: beta.key)
        #expect(try store.lookup(asked) == nil)
        clock.advance(.seconds(301))
        let before = nginx.accessLog().count
        #expect(url(try store.lookup(asked)) == "\(nginx.baseURL)/BeTa.pdb/\(beta.key)/BeTa.pdb")
        let admin = nginx.accessLog().dropFirst(before).filter { $0.path.hasPrefix("/000Admin/") }
        #expect(admin.map(\.path) == ["/000Admin/lastid.txt", "/000Admin/0000000002", "/000Admin/0000000003"])
        #expect(admin.map(\.status) == [200, 404, 200])
    }

    /// `000Admin` lines, quoted or not; lines that are not `name\key` (or name hostile components) are skipped.
    @Test func adminIndexReadsTransactionLines() {
        var index = AdminIndex()
        let text = """
            "Alpha.Pdb\\0123456789ABCDEF0123456789ABCDEF1","C:\\b\\Alpha.Pdb"\r
            Beta.Dll\\5A0BC0DE6000,C:\\b\\Beta.Dll
            "no-key","C:\\x"
            "..\\KEY","C:\\x"
            "a\\b\\c","C:\\x"
            "unterminated\\KEY
            0000000001,add,file,01/01/2020,00:00:00,"p","v","c",
            """
        index.observe(lastID: 7)
        index.read(7, text: Array(text.utf8))
        #expect(index.newest == 7 && !index.isComplete)
        #expect(index.count == 2)
        #expect(index.spelling(of: SymbolRequest(name: "ALPHA.PDB", key: "0123456789abcdef0123456789abcdef1"))
            == StoreSpelling(name: "Alpha.Pdb", key: "0123456789ABCDEF0123456789ABCDEF1"))
        #expect(index.spelling(of: SymbolRequest(name: "beta.dll", key: "5a0bc0de6000"))
            == StoreSpelling(name: "Beta.Dll", key: "5A0BC0DE6000"))
        #expect(index.spelling(of: SymbolRequest(name: "beta.dll", key: "5A0BC0DE7000")) == nil)
        #expect(AdminIndex.lastID(Array("0000000042\r\n".utf8)) == 42)
        #expect(AdminIndex.lastID(Array("<html>".utf8)) == nil)
        #expect(AdminIndex.lastID(Array("99999999999".utf8)) == nil)
        #expect(AdminIndex.fileName(42) == "0000000042")
    }

    /// Transactions are read newest first, the ones added since the last `lastid.txt` before older ones; a
    /// store with more than the limit is read down to the limit only; a `lastid.txt` that leaps asks for the
    /// newest within the limit (never a list of the whole gap), and one that goes down starts the index anew.
    @Test func adminIndexReadsNewestFirst() {
        var index = AdminIndex()
        index.observe(lastID: 5)
        #expect(index.unread(count: 3) == [5, 4, 3])
        for id in [5, 4, 3] { index.read(id, text: nil) }
        index.observe(lastID: 7)
        #expect(!index.isComplete)
        #expect(index.unread(count: 3) == [6, 7, 2])
        for id in [6, 7] { index.read(id, text: nil) }
        #expect(!index.isComplete)  // 2 and 1 are still unread
        for id in [2, 1] { index.read(id, text: nil) }
        #expect(index.isComplete && index.newest == 7)
        #expect(index.unread(count: 8).isEmpty)

        index.observe(lastID: 9_999_999_999)
        #expect(!index.isComplete)
        #expect(index.unread(count: 4) == Array(9_999_990_000...9_999_990_003))

        index.read(5, text: Array("\"A.pdb\\0123456789ABCDEF0123456789ABCDEF1\",\"x\"".utf8))
        index.observe(lastID: 3)
        #expect(index.known == 3 && index.count == 0 && index.unread(count: 8) == [3, 2, 1])

        var large = AdminIndex()
        large.observe(lastID: AdminIndex.transactionLimit + 500)
        for id in large.unread(count: AdminIndex.transactionLimit + 10) { large.read(id, text: nil) }
        #expect(large.isComplete && large.nextOlder == 500)
    }

    /// A server that answers 200 for every path (here with the bytes of one file) is not taken for one that
    /// finds names in any case: its misses are still asked in every spelling.
    @Test func aServerAnsweringEveryPathIsNotCaseInsensitive() throws {
        let temporary = try TemporaryDirectory()
        let sample = samples.alphaPDB
        try StoreWriter.place(sample.path, at: temporary.path, "\(sample.name)/\(sample.key)/\(sample.name)")
        let server = try FaultServer(root: temporary.path)
        server.set(FaultServer.everyPath, .init(body: samples.betaPDB.bytes))
        server.set("/\(sample.name)/\(sample.key)/\(sample.name)", .init(body: sample.bytes))
        server.set("/index2.txt", .status(404))
        server.set("/000Admin/lastid.txt", .status(404))
        let store = store(server.baseURL)
        #expect(url(try store.lookup(sample.request)) == "\(server.baseURL)/\(sample.name)/\(sample.key)/\(sample.name)")
        #expect(store.casing.sensitivity == .sensitive)
    }

    /// On a server not known to find names in any case, a miss is remembered for the spelling asked only: the
    /// name as written, asked after a miss in another case, is still found.
    @Test func aMissInOneCaseDoesNotHideTheFileInAnother() throws {
        let temporary = try TemporaryDirectory()
        let sample = samples.alphaPDB
        try StoreWriter.place(sample.path, at: temporary.path, "Alpha.Pdb/\(sample.key)/Alpha.Pdb")
        let nginx = try NginxServer(root: temporary.path)
        let store = store(nginx.baseURL)
        #expect(try store.lookup(SymbolRequest(name: "alpha.pdb", key: sample.key)) == nil)
        #expect(url(try store.lookup(SymbolRequest(name: "Alpha.Pdb", key: sample.key))) != nil)
        #expect(try store.lookup(SymbolRequest(name: "alpha.pdb", key: sample.key)) == nil)  // remembered
    }

    /// A failed read of `000Admin` (a 503) is not tried again before the refresh period, however many misses.
    @Test func aFailedAdminReadWaitsForTheRefreshPeriod() throws {
        let temporary = try TemporaryDirectory()
        let server = try FaultServer(root: temporary.path)
        server.set("/000Admin/lastid.txt", .status(503))
        let store = store(server.baseURL)
        for index in 0..<3 {
            #expect(try store.lookup(SymbolRequest(name: "m\(index).pdb", key: "0123456789ABCDEF0123456789ABCDEF1")) == nil)
        }
        #expect(server.requests().filter { $0.path.hasPrefix("/000Admin/") }.count == 1)
        clock.advance(.seconds(301))
        #expect(try store.lookup(SymbolRequest(name: "m9.pdb", key: "0123456789ABCDEF0123456789ABCDEF1")) == nil)
        #expect(server.requests().filter { $0.path.hasPrefix("/000Admin/") }.count == 2)
    }

    /// A case check that tells nothing (the server fails it) is not made again within the refresh period.
    @Test func aFailedCaseCheckWaitsForTheRefreshPeriod() throws {
        let temporary = try TemporaryDirectory()
        for sample in [samples.alphaPDB, samples.betaPDB] {
            try StoreWriter.place(sample.path, at: temporary.path, "\(sample.name)/\(sample.key)/\(sample.name)")
        }
        let server = try FaultServer(root: temporary.path)
        for sample in [samples.alphaPDB, samples.betaPDB] {
            let upper = sample.name.uppercased()
            server.set("/\(upper)/\(sample.key)/\(upper)", .status(502))
        }
        let store = store(server.baseURL)
        #expect(url(try store.lookup(samples.alphaPDB.request)) != nil)
        #expect(store.casing.sensitivity == .unknown)
        #expect(url(try store.lookup(samples.betaPDB.request)) != nil)
        let checks = server.requests().filter { $0.path.hasPrefix("/ALPHA.PDB/") || $0.path.hasPrefix("/BETA.PDB/") }
        #expect(Set(checks.map(\.path)) == [
            "/ALPHA.PDB/\(samples.alphaPDB.key)/ALPHA.PDB", "/ALPHA.PDB/SymbolFS-case-check/ALPHA.PDB",
        ] && checks.count == 2)
    }

    /// The spellings a case-sensitive server is asked, for a request that differs from all of them.
    @Test func spellingRulesOfARequest() {
        let request = SymbolRequest(name: "Fix6.Dll", key: "5e00b99a4000")
        let spellings = SpellingRule.probeOrder.map { $0.spelling(of: request) }
        #expect(spellings.map { "\($0.name)/\($0.key)" } == [
            "Fix6.Dll/5E00B99A4000", "fix6.dll/5E00B99A4000", "fix6.dll/5e00b99a4000", "Fix6.Dll/5e00b99a4000",
            "FIX6.DLL/5E00B99A4000",
        ])
    }
}
