import Foundation
import Testing
import TestSupport
@testable import SymbolStore
@testable import SymbolFormats
@testable import SymbolHTTP
@testable import SystemSupport

/// `HTTPSymbolStore` against real stores (PyPI symstore from real PE/PDB files) served by nginx, and against
/// FaultServer for the answers nginx never gives. Loopback only; every wait bounded.
@Suite(.serialized) struct HTTPSymbolStoreTests {
    let samples = Samples.shared
    let clock = ManualTimeSource()

    private func client(retries: Int = 0, stall: Duration = .seconds(3)) -> HTTPClient {
        HTTPClient(configuration: HTTPConfiguration(
            connectTimeout: .seconds(3), stallTimeout: stall, retries: retries, retryBaseDelay: .milliseconds(5)))
    }

    private func store(
        _ base: String, client: HTTPClient? = nil, failureCount: Int = 5, pointerRoots: [String]? = nil
    ) -> HTTPSymbolStore {
        HTTPSymbolStore(
            baseURL: base, client: client ?? self.client(),
            options: StoreOptions(allowedPointerRoots: pointerRoots),
            settings: HTTPStoreSettings(failureCount: failureCount, clock: clock))
    }

    /// Whether `request` is a clean miss (neither a hit nor a failure).
    private func isMiss(_ store: HTTPSymbolStore, _ request: SymbolRequest) -> Bool {
        do { return try store.lookup(request) == nil } catch { return false }
    }

    /// A PDB no server holds, a different one for each `index`.
    private func missingRequest(_ index: Int) -> SymbolRequest {
        SymbolRequest(name: "missing\(index).pdb", key: "0123456789ABCDEF0123456789ABCDEF1")
    }

    private func remote(_ hit: StoreHit?) -> RemoteFile? {
        if case .remote(let file)? = hit?.form { return file }
        return nil
    }

    private func symstoreRoot(_ temporary: TemporaryDirectory) throws -> String {
        let root = temporary.path + "/store"
        try StoreWriter.symstore(samples.all, at: root)
        return root
    }

    // MARK: Hits

    /// spec §2.1, §3.1: every file symstore wrote is found, with its size (from Content-Range), as a remote
    /// file at the URL probed; index2.txt is asked once for the store.
    @Test func findsEveryFileSymstoreWrote() throws {
        let temporary = try TemporaryDirectory()
        let nginx = try NginxServer(root: try symstoreRoot(temporary))
        let store = store(nginx.baseURL + "/")
        for sample in samples.all {
            let hit = try store.lookup(sample.request)
            let file = try #require(remote(hit), "\(sample.request)")
            #expect(file.url == "\(nginx.baseURL)/\(sample.name)/\(sample.key)/\(sample.name)")
            #expect(file.compressed == false)
            #expect(file.acceptsRanges)
            #expect(file.transferSize == UInt64(sample.bytes.count))
            #expect(hit?.size == UInt64(sample.bytes.count))
        }
        let log = nginx.accessLog()
        #expect(log.filter { $0.path == "/index2.txt" }.count == 1)
        #expect(log.first?.path == "/index2.txt")
        // Then 000Admin once (lastid.txt and the transactions), each file in one probe, and after the first hit
        // the case check (that file in another case, and a file no store holds), which this case-sensitive server
        // answers with two 404s.
        let admin = log.dropFirst().prefix { $0.path.hasPrefix("/000Admin/") }
        #expect(admin.first?.path == "/000Admin/lastid.txt" && admin.count >= 2, "\(log)")
        let probes = log.dropFirst(1 + admin.count)
        #expect(probes.filter { $0.status == 404 }.count == 2, "\(log)")
        #expect(probes.filter { $0.status != 404 }.allSatisfy { $0.status == 206 && $0.range == "bytes=0-4095" })
        #expect(probes.filter { $0.status == 206 }.count == samples.all.count, "\(log)")
        #expect(!log.contains { $0.path.hasPrefix("/000Admin/") && $0.status != 200 }, "\(log)")
    }

    /// spec §3.1 probe order and §2.7 casing: index2.txt and 000Admin/lastid.txt once, then the name in
    /// Microsoft's spelling (name as asked, canonical key); once that misses, every other spelling of
    /// `SpellingRule.probeOrder` and every form at once (their answers taken in that order, see
    /// `answersAreTakenInProbeOrder`); ranges only on file probes.
    @Test func probeOrderAndCasing() throws {
        let temporary = try TemporaryDirectory()
        let server = try FaultServer(root: temporary.path)
        let store = store(server.baseURL)
        let key = samples.alphaPDB.key
        let asked = SymbolRequest(name: "Alpha.PDB", key: key.lowercased())
        #expect(try store.lookup(asked) == nil)
        let canonical = SpellingCandidates.canonicalKey(key)
        #expect(canonical != key.lowercased())
        let spellings = [
            ("Alpha.PDB", canonical), ("alpha.pdb", canonical), ("alpha.pdb", key.lowercased()),
            ("Alpha.PDB", key.lowercased()), ("ALPHA.PDB", canonical),
        ]
        let files = spellings.map { "/\($0.0)/\($0.1)/\($0.0)" }
        let others = spellings.map { "/\($0.0)/\($0.1)/\(StoreComponent.compressedName($0.0))" }
            + spellings.map { "/\($0.0)/\($0.1)/file.ptr" }
        let seen = server.requests()
        #expect(seen.map(\.path).prefix(3) == ["/index2.txt", "/000Admin/lastid.txt", files[0]])
        #expect(Set(seen.map(\.path).dropFirst(3)) == Set(files.dropFirst() + others), "\(seen.map(\.path))")
        #expect(seen.count == 2 + 3 * spellings.count, "at most 3 × 6 probes a miss: \(seen.map(\.path))")
        let ranges = Dictionary(seen.map { ($0.path, $0.range ?? "none") }, uniquingKeysWith: { $1 })
        #expect(files.allSatisfy { ranges[$0] == "bytes=0-4095" })
        #expect(others.allSatisfy { ranges[$0] == ($0.hasSuffix("file.ptr") ? "none" : "bytes=0-4095") })
        // A second file: neither index2.txt nor 000Admin again.
        server.clearRequests()
        #expect(try store.lookup(samples.betaPDB.request) == nil)
        #expect(server.requests().first?.path == "/beta.pdb/\(samples.betaPDB.key)/beta.pdb")
        #expect(!server.requests().contains { $0.path == "/index2.txt" || $0.path.hasPrefix("/000Admin") })
    }

    /// spec §2.7, §7 #1–#2: a case-sensitive server holding the SSQP (lower-case) spelling is found after the
    /// Microsoft spelling 404s.
    @Test func lowerCaseServerIsFoundSecond() throws {
        let temporary = try TemporaryDirectory()
        let sample = samples.alphaImage
        let lower = "\(sample.name.lowercased())/\(sample.key.lowercased())/\(sample.name.lowercased())"
        try StoreWriter.place(sample.path, at: temporary.path, lower)
        let nginx = try NginxServer(root: temporary.path)
        let hit = try store(nginx.baseURL).lookup(SymbolRequest(name: "Alpha.EXE", key: sample.key))
        #expect(remote(hit)?.url == nginx.baseURL + "/" + lower)
        let log = nginx.accessLog()
        #expect(log.prefix(2).map(\.status) == [404, 404], "index2.txt, then the Microsoft spelling: \(log)")
        #expect(log.filter { $0.status == 206 }.map(\.path) == ["/" + lower], "\(log)")
    }

    /// Probes after the first run at once, but their answers count in probe order: a lower-case file that
    /// answers last still wins over a `name_` that answered first.
    @Test func answersAreTakenInProbeOrder() throws {
        let temporary = try TemporaryDirectory()
        let sample = samples.alphaPDB
        let lower = "/\(sample.name)/\(sample.key.lowercased())/\(sample.name)"
        try StoreWriter.place(sample.path, at: temporary.path, String(lower.dropFirst()))
        let cabinet = try StoreWriter.cabinet(of: sample, in: temporary.path)
        let compressed = "/\(sample.name)/\(SpellingCandidates.canonicalKey(sample.key))/alpha.pd_"
        try StoreWriter.place(cabinet, at: temporary.path, String(compressed.dropFirst()))
        let server = try FaultServer(root: temporary.path)
        server.set(lower, .init(bytesPerSecond: 8_000))
        let hit = try store(server.baseURL).lookup(sample.request)
        #expect(remote(hit)?.url == server.baseURL + lower)
        #expect(remote(hit)?.compressed == false)
        let answered = server.requests().map(\.path)
        #expect(answered.contains(compressed) && answered.contains(lower), "\(answered)")
    }

    /// A lookup's second round goes out at once: with every answer taking 300 ms, its eight probes arrive on
    /// eight connections (one after another they would share one), and the miss takes less than the eleven
    /// answers' time that probing one after another cannot beat.
    @Test func secondRoundProbesGoOutAtOnce() throws {
        let temporary = try TemporaryDirectory()
        let server = try FaultServer(root: temporary.path)
        server.set(FaultServer.everyPath, .init(answerDelaySeconds: 0.3))
        let start = Date()
        #expect(try store(server.baseURL).lookup(missingRequest(0)) == nil)
        #expect(Date().timeIntervalSince(start) < 11 * 0.3)
        let seen = server.requests()
        #expect(seen.count == 11, "\(seen.map(\.path))")
        #expect(Set(seen.dropFirst(3).map(\.connection)).count == 8, "\(seen)")
    }

    /// 200 lookups at once, each of a different missing file, against a server that takes 200 ms for every
    /// answer, so that they overlap. A lookup waits for its second round of eight probes on its own thread, so
    /// the process never has more threads than before plus the 200 looking up plus 16: the sampler, the
    /// transfer thread of each lane, and slack for the test runner. With a thread per probe the peak would be
    /// about 4 × 200 higher. The peak must also show the lookups overlapping (more than 150 callers at once),
    /// or the bound would prove nothing.
    @Test func concurrentLookupsNeedNoThreadPerProbe() throws {
        let temporary = try TemporaryDirectory()
        let server = try FaultServer(root: temporary.path)
        server.set(FaultServer.everyPath, .init(answerDelaySeconds: 0.2))
        let http = HTTPClient(configuration: HTTPConfiguration(
            connectTimeout: .seconds(10), stallTimeout: .seconds(10), retries: 0, maximumConnectionsPerHost: 256))
        let store = store(server.baseURL, client: http, failureCount: 1000)
        #expect(try store.lookup(missingRequest(-1)) == nil)  // the layout known and the transfer thread started
        server.clearRequests()
        let callers = 200
        let wrong = Counter()
        let before = ProcessThreads.count
        let (peak, finished) = ProcessThreads.peak {
            runOnThreads(callers, timeout: 60) { index in
                if !isMiss(store, missingRequest(index)) { wrong.add() }
            }
        }
        #expect(finished)
        #expect(wrong.value == 0)
        #expect(server.requests().count == callers * 9)
        #expect(peak > before + 150, "peak \(peak), before \(before)")
        #expect(peak <= before + callers + 16, "peak \(peak), before \(before)")
    }

    /// spec §3.1 tier detection: first lookups at once ask for index2.txt once; the others wait for its answer.
    @Test func concurrentFirstLookupsAskForTheLayoutOnce() throws {
        let temporary = try TemporaryDirectory()
        let server = try FaultServer(root: temporary.path)
        server.set("/index2.txt", .init(answerDelaySeconds: 0.5))
        let store = store(server.baseURL)
        let wrong = Counter()
        #expect(runOnThreads(32) { index in
            if !isMiss(store, missingRequest(index)) { wrong.add() }
        })
        #expect(wrong.value == 0)
        let paths = server.requests().map(\.path)
        #expect(paths.filter { $0 == "/index2.txt" }.count == 1)
        #expect(paths.filter { $0 == "/000Admin/lastid.txt" }.count == 1)
        #expect(paths.count == 2 + 32 * 9)
    }

    /// A failed layout probe is the answer of the lookups that waited for it, and is not remembered: the next
    /// lookup asks again.
    @Test func aFailedLayoutProbeIsSharedButNotRemembered() throws {
        let temporary = try TemporaryDirectory()
        let server = try FaultServer(root: temporary.path)
        server.set("/index2.txt", .init(failStatus: 503, failTimes: 1, answerDelaySeconds: 0.5))
        let store = store(server.baseURL, failureCount: 1000)
        let failed = Counter()
        #expect(runOnThreads(16) { index in
            do throws(SymbolStoreError) {
                _ = try store.lookup(missingRequest(index))
            } catch {
                if error.kind == .upstreamUnavailable(.status(503)) { failed.add() }
            }
        })
        #expect(failed.value == 16)
        #expect(server.requests().map(\.path) == ["/index2.txt"])
        #expect(try store.lookup(missingRequest(0)) == nil)
        #expect(server.requests().filter { $0.path == "/index2.txt" }.count == 2)
    }

    /// spec §2.1 two-tier: index2.txt present, files under the two-character prefix.
    @Test func twoTierServer() throws {
        let temporary = try TemporaryDirectory()
        let sample = samples.betaPDB
        try StoreWriter.write("", at: temporary.path, "index2.txt")
        try StoreWriter.place(sample.path, at: temporary.path, "be/\(sample.name)/\(sample.key)/\(sample.name)")
        let nginx = try NginxServer(root: temporary.path)
        let hit = try store(nginx.baseURL).lookup(sample.request)
        #expect(remote(hit)?.url == "\(nginx.baseURL)/be/\(sample.name)/\(sample.key)/\(sample.name)")
        #expect(hit?.size == UInt64(sample.bytes.count))
    }

    /// spec §2.3: a CAB `name_` is a compressed hit whose size, read from the CAB header before any download,
    /// is the decompressed size.
    @Test func cabinetSizeComesFromItsHeader() throws {
        let temporary = try TemporaryDirectory()
        let sample = samples.alphaPDB
        let cabinet = try StoreWriter.cabinet(of: sample, in: temporary.path)
        try StoreWriter.place(cabinet, at: temporary.path + "/root", "\(sample.name)/\(sample.key)/alpha.pd_")
        let nginx = try NginxServer(root: temporary.path + "/root")
        let hit = try store(nginx.baseURL).lookup(sample.request)
        let file = try #require(remote(hit))
        #expect(file.compressed)
        #expect(file.url.hasSuffix("/alpha.pd_"))
        #expect(hit?.size == UInt64(sample.bytes.count))
        #expect(hit?.size == (try Cabinet(path: cabinet)).uncompressedSize)
        let cabinetBytes = try #require(FileManager.default.contents(atPath: cabinet))
        #expect(file.transferSize == UInt64(cabinetBytes.count))
    }

    /// A ZIP `name_` is a compressed hit too: its size from the local header, or, for a ZIP written in one
    /// stream, from the central directory that one more range request reads at the end of the file.
    @Test(arguments: StoreWriter.ZipForm.allCases)
    func zipSizeComesFromItsHeaders(form: StoreWriter.ZipForm) throws {
        let temporary = try TemporaryDirectory()
        let sample = samples.alphaPDB
        let zip = try StoreWriter.zip(of: sample, in: temporary.path, form: form)
        try StoreWriter.place(zip, at: temporary.path + "/root", "\(sample.name)/\(sample.key)/alpha.pd_")
        let nginx = try NginxServer(root: temporary.path + "/root")
        let hit = try store(nginx.baseURL).lookup(sample.request)
        let file = try #require(remote(hit))
        #expect(file.compressed && file.url.hasSuffix("/alpha.pd_"))
        #expect(hit?.size == UInt64(sample.bytes.count))
        let asked = nginx.accessLog().filter { $0.path == "/\(sample.name)/\(sample.key)/alpha.pd_" }
        #expect(asked.count == (form == .streamed ? 2 : 1), "\(asked)")
    }

    /// A server that ignores Range answers 200: the size comes from Content-Length, the rest is not read, and
    /// the file is marked as not range-capable.
    @Test func serverWithoutRanges() throws {
        let temporary = try TemporaryDirectory()
        let root = try symstoreRoot(temporary)
        let server = try FaultServer(root: root)
        let sample = samples.alphaPDB
        let path = "/\(sample.name)/\(sample.key)/\(sample.name)"
        server.set(path, .init(ignoreRanges: true))
        let hit = try store(server.baseURL).lookup(sample.request)
        let file = try #require(remote(hit))
        #expect(!file.acceptsRanges)
        #expect(hit?.size == UInt64(sample.bytes.count))
    }

    /// spec §3.2: the hit remembers the URL asked, never the redirect target (a signed, expiring blob URL).
    @Test func redirectTargetIsNotRemembered() throws {
        let temporary = try TemporaryDirectory()
        let root = try symstoreRoot(temporary)
        let sample = samples.betaImage
        try StoreWriter.place(sample.path, at: root, "blobs/beta")
        let server = try FaultServer(root: root)
        let path = "/\(sample.name)/\(sample.key)/\(sample.name)"
        server.set(path, .init(redirect: "/blobs/beta?se=2030&sig=abc"))
        let hit = try store(server.baseURL).lookup(sample.request)
        #expect(remote(hit)?.url == server.baseURL + path)
        #expect(hit?.size == UInt64(sample.bytes.count))
    }

    /// spec §2.6: the MSFZ form lives at `name/key/msfz0/name` and must start with the MSFZ magic; a classic
    /// PDB there is a miss, and the MSFZ request never probes `name_` or `file.ptr`.
    @Test func msfzVariant() throws {
        let temporary = try TemporaryDirectory()
        let sample = samples.alphaPDB
        var msfz = Data("Microsoft MSFZ Container\r\n\u{1A}ALD\0\0".utf8)
        msfz.append(Data(repeating: 7, count: 9000))
        try msfz.write(to: URL(fileURLWithPath: try temporary.file("root/\(sample.name)/\(sample.key)/msfz0/\(sample.name)")))
        try StoreWriter.place(samples.betaPDB.path, at: temporary.path + "/root",
                              "\(samples.betaPDB.name)/\(samples.betaPDB.key)/msfz0/\(samples.betaPDB.name)")
        let nginx = try NginxServer(root: temporary.path + "/root")
        let store = store(nginx.baseURL)
        let hit = try store.lookup(SymbolRequest(name: sample.name, key: sample.key, variant: .msfz0))
        #expect(remote(hit)?.url == "\(nginx.baseURL)/\(sample.name)/\(sample.key)/msfz0/\(sample.name)")
        #expect(hit?.size == UInt64(msfz.count))
        let beta = SymbolRequest(name: samples.betaPDB.name, key: samples.betaPDB.key, variant: .msfz0)
        #expect(try store.lookup(beta) == nil)
        #expect(!nginx.accessLog().contains { $0.path.hasSuffix("_") || $0.path.hasSuffix("file.ptr") })
    }

    // MARK: Misses that look like answers (spec §7 #8)

    @Test func htmlPageIsAMiss() throws {
        let temporary = try TemporaryDirectory()
        let server = try FaultServer(root: try symstoreRoot(temporary))
        let sample = samples.alphaPDB
        for spelling in [sample.name, sample.name.lowercased()] {
            server.set("/\(spelling)/\(sample.key)/\(spelling)", .htmlPage)
        }
        #expect(try store(server.baseURL).lookup(sample.request) == nil)
        // index2.txt, 000Admin (lastid.txt, one transaction), then name, name_, file.ptr in the three spellings
        // of `alpha.pdb` with an upper-case key; the HTML answer was a 200.
        #expect(server.requests().count == 12, "\(server.requests().map(\.path))")
    }

    /// HTML without a text/html Content-Type is caught by its first byte.
    @Test func untypedHTMLIsAMiss() throws {
        let temporary = try TemporaryDirectory()
        let server = try FaultServer(root: temporary.path)
        server.set("/notes.txt/sha1-abc/notes.txt", .init(body: Data("  <html>login</html>".utf8)))
        #expect(try store(server.baseURL).lookup(SymbolRequest(name: "notes.txt", key: "sha1-abc")) == nil)
    }

    /// A PE image served for a `.pdb` name is the wrong kind: a miss; an empty 200 too.
    @Test func wrongKindAndEmptyBodiesAreMisses() throws {
        let temporary = try TemporaryDirectory()
        let server = try FaultServer(root: temporary.path)
        let sample = samples.alphaPDB
        server.set("/\(sample.name)/\(sample.key)/\(sample.name)", .init(body: samples.alphaImage.bytes))
        server.set("/\(sample.name)/\(sample.key)/alpha.pd_", .init(body: Data()))
        let store = store(server.baseURL)
        #expect(try store.lookup(sample.request) == nil)
        // The right content under the same name is a hit.
        server.set("/\(sample.name)/\(sample.key)/\(sample.name)", .init(body: sample.bytes))
        store.misses.remove("p/\(sample.name)/\(sample.key)")  // as asked: the server's case handling is unknown
        #expect(remote(try store.lookup(sample.request)) != nil)
    }

    /// A CAB with two files cannot be served as one: a miss.
    @Test func cabinetWithTwoFilesIsAMiss() throws {
        let temporary = try TemporaryDirectory()
        let sample = samples.alphaPDB
        let cabinet = temporary.path + "/two.cab"
        try runChecked("gcab", ["-c", "-z", "-n", cabinet, sample.path, samples.betaPDB.path])
        try StoreWriter.place(cabinet, at: temporary.path + "/root", "\(sample.name)/\(sample.key)/alpha.pd_")
        let nginx = try NginxServer(root: temporary.path + "/root")
        #expect(try store(nginx.baseURL).lookup(sample.request) == nil)
        let bytes = Array(try #require(FileManager.default.contents(atPath: cabinet)))
        #expect(CabinetHeader.uncompressedSize(bytes) == .invalid("2 files in the cabinet, not 1"))
    }

    // MARK: file.ptr over HTTP (spec §2.4)

    @Test func pointersOverHTTP() throws {
        let temporary = try TemporaryDirectory()
        let targets = temporary.path + "/targets"
        let image = samples.betaImage
        let pdb = samples.betaPDB
        try StoreWriter.place(image.path, at: targets, image.name)
        let cabinet = try StoreWriter.cabinet(of: pdb, in: targets)
        let root = temporary.path + "/root"
        try StoreWriter.write("PATH:\(targets)/\(image.name)\r\n", at: root, "\(image.name)/\(image.key)/file.ptr")
        try StoreWriter.write("PATH:\(cabinet)", at: root, "\(pdb.name)/\(pdb.key)/file.ptr")
        try StoreWriter.write("MSG: NoLongerIndexed", at: root, "gone.pdb/\(pdb.key)/file.ptr")
        try StoreWriter.write("PATH:\(targets)/absent.dll", at: root, "absent.dll/\(image.key)/file.ptr")
        try StoreWriter.write("PATH:\\\\server\\share\\x.dll", at: root, "unc.dll/\(image.key)/file.ptr")
        let nginx = try NginxServer(root: root)
        let store = store(nginx.baseURL)
        let pointed = try store.lookup(image.request)
        // A pointer, whichever store it came from: a store that wants pointers is given this one.
        #expect(pointed?.form == .pointer(
            pointerPath: "\(nginx.baseURL)/\(image.name)/\(image.key)/file.ptr", target: "\(targets)/\(image.name)"))
        // Cached under the pointer's name and key, not the target path's last components.
        #expect(pointed?.spelling.name == image.name && pointed?.spelling.key.lowercased() == image.key.lowercased())
        let compressed = try store.lookup(pdb.request)
        // The target's `name_` form stands in for it, as for a local pointer.
        #expect(compressed?.form == .pointer(
            pointerPath: "\(nginx.baseURL)/\(pdb.name)/\(pdb.key)/file.ptr", target: cabinet))
        #expect(compressed?.size == UInt64(pdb.bytes.count))
        for name in ["gone.pdb", "absent.dll", "unc.dll"] {
            #expect(try store.lookup(SymbolRequest(name: name, key: name == "gone.pdb" ? pdb.key : image.key)) == nil)
        }
        // Refused outside the allowed roots.
        let confined = self.store(nginx.baseURL, pointerRoots: [temporary.path + "/elsewhere"])
        #expect(try confined.lookup(image.request) == nil)
    }

    // MARK: Negative cache (SymProxy MissTimeout, spec §4.1)

    @Test func missesAreRememberedForMissTimeout() throws {
        let temporary = try TemporaryDirectory()
        let server = try FaultServer(root: temporary.path)
        let store = store(server.baseURL)
        let request = samples.alphaPDB.request
        #expect(try store.lookup(request) == nil)
        let first = server.requests().count
        #expect(first == 11)  // index2.txt, 000Admin/lastid.txt, 3 forms × 3 spellings
        clock.advance(.seconds(299))
        #expect(try store.lookup(request) == nil)
        #expect(server.requests().count == first)
        // Another spelling is another miss on a server not known to find names in any case (its spellings
        // differ), and is remembered in its turn.
        let shouted = SymbolRequest(name: request.name.uppercased(), key: request.key.lowercased())
        #expect(try store.lookup(shouted) == nil)
        let second = server.requests().count
        #expect(second == first + 12, "4 spellings × 3 forms")
        #expect(try store.lookup(shouted) == nil)
        #expect(server.requests().count == second)
        clock.advance(.seconds(2))
        #expect(try store.lookup(request) == nil)
        #expect(server.requests().count == second + 10)  // the probes again, and lastid.txt after its period
    }

    /// A file that appears after its miss expired is found, and a 403 counts as a miss (S3 without list rights).
    @Test func forbiddenIsAMissAndExpiredMissesAreAskedAgain() throws {
        let temporary = try TemporaryDirectory()
        let server = try FaultServer(root: temporary.path)
        let sample = samples.alphaImage
        server.set("/\(sample.name)/\(sample.key)/\(sample.name)", .status(403))
        let store = store(server.baseURL)
        #expect(try store.lookup(sample.request) == nil)
        server.set("/\(sample.name)/\(sample.key)/\(sample.name)", .init(body: sample.bytes))
        #expect(try store.lookup(sample.request) == nil)  // still remembered
        clock.advance(.seconds(301))
        #expect(remote(try store.lookup(sample.request)) != nil)
    }

    // MARK: Failures and blackout (spec §3.5)

    @Test func failuresAreErrorsNotMisses() throws {
        let temporary = try TemporaryDirectory()
        let server = try FaultServer(root: temporary.path)
        let sample = samples.alphaPDB
        server.set("/\(sample.name)/\(sample.key)/\(sample.name)", .status(502))
        let store = store(server.baseURL)
        do {
            _ = try store.lookup(sample.request)
            Issue.record("a 502 must not be a miss")
        } catch {
            #expect(error.kind == .upstreamUnavailable(.status(502)))
        }
        // Not remembered as a miss: the next lookup asks again (and then checks case, the server's first hit).
        let before = server.requests().count
        server.set("/\(sample.name)/\(sample.key)/\(sample.name)", .init(body: sample.bytes))
        #expect(remote(try store.lookup(sample.request)) != nil)
        #expect(server.requests().count == before + 3)
    }

    @Test func authorizationRefusedIsAFailure() throws {
        let temporary = try TemporaryDirectory()
        let server = try FaultServer(root: temporary.path)
        let sample = samples.alphaPDB
        server.set("/\(sample.name)/\(sample.key)/\(sample.name)", .status(401))
        #expect(throws: SymbolStoreError.self) { try store(server.baseURL).lookup(sample.request) }
    }

    @Test func stallIsETIMEDOUT() throws {
        let temporary = try TemporaryDirectory()
        let server = try FaultServer(root: temporary.path)
        server.set("/index2.txt", .init(stallSeconds: 6, body: Data("x".utf8)))
        let store = store(server.baseURL, client: client(stall: .seconds(1)))
        do {
            _ = try store.lookup(samples.alphaPDB.request)
            Issue.record("a stalled server must fail the lookup")
        } catch {
            #expect(error.kind == .upstreamUnavailable(.timeout))
        }
    }

    /// After `failureCount` failures the server is skipped without a request until the blackout ends.
    @Test func blackoutAfterRepeatedFailures() throws {
        let temporary = try TemporaryDirectory()
        let server = try FaultServer(root: temporary.path)
        server.set("/index2.txt", .status(503))
        let store = store(server.baseURL, failureCount: 3)
        for _ in 0..<3 {
            #expect(throws: SymbolStoreError.self) { try store.lookup(samples.alphaPDB.request) }
        }
        #expect(store.isBlackedOut)
        #expect(!store.holds(name: "alpha.pdb"))
        let before = server.requests().count
        #expect(before == 3)
        #expect(throws: SymbolStoreError.self) { try store.lookup(samples.betaPDB.request) }
        #expect(server.requests().count == before)
        clock.advance(.seconds(901))
        #expect(!store.isBlackedOut)
        #expect(store.holds(name: "alpha.pdb"))
        server.set("/index2.txt", nil)
        #expect(try store.lookup(samples.betaPDB.request) == nil)
        #expect(server.requests().count > before)
    }

    /// Failures spread wider than the window never add up to a blackout.
    @Test func failuresOutsideTheWindowDoNotCount() {
        let blackout = ServerBlackout(count: 2, window: .seconds(600), blackout: .seconds(900), clock: clock)
        #expect(!blackout.recordFailure())
        clock.advance(.seconds(601))
        #expect(!blackout.recordFailure())
        #expect(!blackout.isBlackedOut)
        clock.advance(.seconds(10))
        #expect(blackout.recordFailure())
        #expect(blackout.isBlackedOut)
    }

    // MARK: Helpers

    @Test func negativeCacheIsBounded() {
        let cache = NegativeCache(timeout: .seconds(300), capacity: 3, clock: clock)
        for key in ["a", "b", "c", "d"] { cache.insert(key) }
        #expect(cache.count == 3)
        #expect(!cache.contains("a"))
        #expect(cache.contains("d"))
    }

    @Test func componentsArePercentEncoded() {
        #expect(HTTPSymbolStore.percentEncoded("My Lib+1.pdb") == "My%20Lib%2B1.pdb")
        #expect(HTTPSymbolStore.percentEncoded("a_b-c.d~e") == "a_b-c.d~e")
        #expect(HTTPSymbolStore.percentEncoded("ü") == "%C3%BC")
    }

    @Test func expectedMagicsByName() {
        #expect(SymbolContent.expectedMagics(name: "a.PDB", variant: .plain)?.contains(SymbolContent.msfPDB) == true)
        #expect(SymbolContent.expectedMagics(name: "a.pdb", variant: .msfz0) == [SymbolContent.msfz])
        #expect(SymbolContent.expectedMagics(name: "a.Dll", variant: .plain) == [SymbolContent.peImage])
        #expect(SymbolContent.expectedMagics(name: "a.dbg", variant: .plain) == [SymbolContent.separateDebug])
        #expect(SymbolContent.expectedMagics(name: "libc.so", variant: .plain) == nil)
    }

    @Test func cabinetHeaderFields() throws {
        let temporary = try TemporaryDirectory()
        let cabinet = try StoreWriter.cabinet(of: samples.betaImage, in: temporary.path)
        let bytes = Array(try #require(FileManager.default.contents(atPath: cabinet)))
        #expect(CabinetHeader.uncompressedSize(bytes) == .size(UInt64(samples.betaImage.bytes.count)))
        #expect(CabinetHeader.uncompressedSize(Array(bytes.prefix(20))) == .needMore(upTo: 36))
        #expect(CabinetHeader.uncompressedSize(Array("PK\u{3}\u{4}".utf8)) == .invalid("no MSCF signature"))
    }

    /// A gcab cabinet whose `coffFiles` was moved 16 bytes on (found by Fuzz/run's Cabinet fuzzer): libmspack
    /// still reads the CFFILE right after the one CFFOLDER (a 168-byte member) while `coffFiles` lands on the
    /// member's name, which read as a size says 1835890020 bytes. The header is not used rather than announce a
    /// size the extraction would never give.
    @Test func cabinetWhoseFileOffsetMissesTheEntriesIsNotSized() throws {
        let base64 = "TVNDRgAAAACqAAAAAAAAADwAAAAAAAAAAwEBAAEAAAAAAAAASgAAAAEAAQCoAAAAAAAAAAAAgV30QyAAZHVtbXlwcm9nLmRiZwDo"
            + "qZXBWACoAENLc/FkYPBhVGL4d0U8jAEMHBgYGhgYmBmQgAKCqVeSWlECpGXYoeIcQMzEwICmPEGvqLgoGcj+wwoxkoENiLlQ1QGF"
            + "HfSKUnPygQp5QAIJULMEMNQ5AQA="
        var bytes = Array(try #require(Data(base64Encoded: base64)))
        let temporary = try TemporaryDirectory()
        let path = temporary.path + "/moved.cab"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(try Cabinet(path: path).uncompressedSize == 168)
        #expect(CabinetHeader.uncompressedSize(bytes)
            == .invalid("CFFILE offset 60, but the entries follow the folders at 44"))
        bytes[16] = 44  // back where gcab wrote it
        #expect(CabinetHeader.uncompressedSize(bytes) == .size(168))
        bytes[30] = 0x2  // cfhdrNEXT_CABINET
        #expect(CabinetHeader.uncompressedSize(bytes) == .invalid("part of a cabinet set"))
    }

    /// With cfhdrRESERVE_PRESENT the entries follow the header's reserved bytes and each folder's.
    @Test func cabinetWithReservedAreas() {
        var bytes = Array("MSCF".utf8) + [UInt8](repeating: 0, count: 32)
        bytes[26] = 2  // two folders
        bytes[28] = 1  // one file
        bytes[30] = 0x4
        bytes += [6, 0, 3, 0] + [UInt8](repeating: 0xEE, count: 6)  // cbCFHeader 6, cbCFFolder 3, cbCFData 0
        bytes += [UInt8](repeating: 0, count: 2 * (8 + 3))
        let entries = bytes.count  // 40 + 6 + 22 = 68
        bytes[16] = UInt8(entries)
        #expect(CabinetHeader.uncompressedSize(bytes) == .needMore(upTo: entries + 16))
        bytes += [0x10, 0x27, 0, 0] + [UInt8](repeating: 0, count: 12)
        #expect(CabinetHeader.uncompressedSize(bytes) == .size(10_000))
        #expect(CabinetHeader.uncompressedSize(Array(bytes.prefix(38))) == .needMore(upTo: 40))
    }
}
