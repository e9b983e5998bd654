import Foundation
import Logging
import Testing
import TestSupport
@testable import SymbolStore

/// Fetch on first open: bytes readable as they arrive, far reads fetched first, one transfer
/// per chunk, verification against the key before the file takes its place, nothing left behind on failure.
struct RemoteDownloadTests {
    let directory: TemporaryDirectory
    let pdb: SampleFile

    init() throws {
        directory = try TemporaryDirectory("symfs-download")
        pdb = Samples.shared.alphaPDB
    }

    func download(
        _ fetcher: ScriptedFetcher, request: SymbolRequest? = nil, ranges: Bool = true, chunk: UInt64 = 16 * 1024,
        stall: Double = 5, urgentFetches: Int = 4, urgentSize: UInt64 = 128 << 10, workers: Int = 4,
        compressed: Bool = false
    ) throws -> (RemoteDownload, finished: Finished) {
        let finished = Finished()
        var settings = DownloadSettings()
        settings.chunkSize = chunk
        settings.stallTimeout = stall
        settings.urgentFetches = urgentFetches
        settings.urgentSize = urgentSize
        settings.maximumWorkers = workers
        let file = RemoteFile(url: "http://127.0.0.1/alpha.pdb", compressed: compressed,
                              transferSize: UInt64(fetcher.content.count), acceptsRanges: ranges)
        let final = directory.path + "/final/alpha.pdb"
        let download = try RemoteDownload(
            file: file, request: request ?? pdb.request, temporaryPath: directory.path + "/part",
            finalPath: final, source: fetcher, settings: settings, logger: Logger(label: "test"),
            place: { download in
                _ = try? FileManager.default.createDirectory(atPath: directory.path + "/final", withIntermediateDirectories: true)
                return rename(download.temporaryPath, final) == 0
                    ? .success(()) : .failure(SymbolStoreError(.internal, "rename"))
            },
            ended: { _, result in finished.set(result) })
        return (download, finished)
    }

    final class Finished: @unchecked Sendable {
        private let lock = NSLock()
        private var result: Result<Void, SymbolStoreError>?
        func set(_ value: Result<Void, SymbolStoreError>) { lock.withLock { result = value } }
        func wait(seconds: Double = 10) -> Result<Void, SymbolStoreError>? {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if let result = lock.withLock({ result }) { return result }
                usleep(5_000)
            }
            return nil
        }
    }

    func read(_ download: RemoteDownload, _ range: Range<UInt64>) throws -> [UInt8] {
        try download.waitForBytes(range)
        let descriptor = try download.openReader()
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: Int(range.count))
        #expect(pread(descriptor, &buffer, buffer.count, off_t(range.lowerBound)) == buffer.count)
        return buffer
    }

    @Test func completesVerifiesAndPlacesTheFile() throws {
        let fetcher = ScriptedFetcher(Array(pdb.bytes))
        let (download, finished) = try download(fetcher)
        #expect(try read(download, 0..<4096) == Array(pdb.bytes.prefix(4096)))
        #expect(try #require(finished.wait()).isSuccess)
        #expect(FileManager.default.contents(atPath: directory.path + "/final/alpha.pdb") == pdb.bytes)
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/part"))
        // Chunks never overlap: the file's bytes were sent once.
        #expect(fetcher.bytesSent == pdb.bytes.count)
    }

    @Test func aFarReadIsFetchedBeforeTheChunksInBetween() throws {
        // 2 MiB in 32 chunks of 64 KiB, each taking about 320 ms: in order, the last would start after ~2.5 s. The
        // reader's own range is answered fast, so the bound below holds with room on a loaded machine.
        let content = (0..<(2 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let fetcher = ScriptedFetcher(content)
        fetcher.pause = 20_000
        fetcher.urgentPause = 1_000
        fetcher.piece = 4096
        let (download, finished) = try download(
            fetcher, request: SymbolRequest(name: "blob.bin", key: "0"), chunk: 64 * 1024)
        let size = UInt64(content.count)
        let started = Date()
        // Not the very end: the read that reaches the end also waits for the whole file's check.
        #expect(try read(download, size - 8192..<size - 4096)
            == Array(content[(content.count - 8192)..<(content.count - 4096)]))
        #expect(Date().timeIntervalSince(started) < 1.5)
        let order = fetcher.requests.compactMap { $0?.lowerBound }
        let position = try #require(order.firstIndex(of: size - 8192))
        #expect(position < 8, "chunk requests in order: \(order)")
        // The far range rides the interactive lane; the chunks in order do not.
        #expect(fetcher.urgentRanges.contains { $0.lowerBound == size - 8192 }, "\(fetcher.urgentRanges)")
        #expect(!fetcher.urgentRanges.contains { $0.lowerBound == 0 })
        #expect(try #require(finished.wait(seconds: 30)).isSuccess)
        #expect(fetcher.bytesSent == content.count)
    }

    /// A server without ranges: one GET for the whole body, however the workers and readers come.
    @Test func aServerWithoutRangesIsAskedOnce() throws {
        let fetcher = ScriptedFetcher(Array(pdb.bytes))
        let (download, finished) = try download(fetcher, ranges: false)
        #expect(try read(download, 0..<UInt64(pdb.bytes.count)) == Array(pdb.bytes))
        #expect(try #require(finished.wait()).isSuccess)
        #expect(fetcher.requests.count == 1, "\(fetcher.requests)")
        #expect(fetcher.bytesSent == pdb.bytes.count)
    }

    /// The chunks are claimed before any reader or the key check looks for bytes: however the threads are
    /// scheduled, a file of one chunk is one transfer (nginx's "one GET" for 32 readers, fuse-notes T8).
    @Test func theWorkersChunksAreClaimedBeforeReadersLook() throws {
        for _ in 0..<20 {
            let fetcher = ScriptedFetcher(Array(pdb.bytes))
            let (download, finished) = try download(fetcher, chunk: 8 << 20)
            #expect(try read(download, UInt64(pdb.bytes.count) - 8192..<UInt64(pdb.bytes.count) - 4096)
                == Array(pdb.bytes.dropLast(4096).suffix(4096)))
            #expect(try #require(finished.wait()).isSuccess)
            #expect(fetcher.requests.count == 1, "\(fetcher.requests)")
        }
    }

    @Test func aResetMidChunkResumesWhereItStopped() throws {
        let fetcher = ScriptedFetcher(Array(pdb.bytes))
        fetcher.resets = 2
        let (download, finished) = try download(fetcher)
        #expect(try #require(finished.wait()).isSuccess)
        #expect(try read(download, 0..<UInt64(pdb.bytes.count)) == Array(pdb.bytes))
        #expect(fetcher.bytesSent == pdb.bytes.count, "resumed transfers fetch only what is missing")
    }

    @Test func aTruncatedBodyFailsReadersAndLeavesNothing() throws {
        let fetcher = ScriptedFetcher(Array(pdb.bytes))
        fetcher.truncateAfter = 1000
        let (download, finished) = try download(fetcher, ranges: false)
        let result = try #require(finished.wait())
        #expect(!result.isSuccess)
        #expect(throws: SymbolStoreError.self) { try download.waitForBytes(0..<UInt64(pdb.bytes.count)) }
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/part"))
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/final/alpha.pdb"))
    }

    /// The end of a PDB (where its stream directory usually is) is readable once the pages the key check needs
    /// are in, long before the slow background chunks bring the rest: one worker, a page every 300 ms, and a
    /// page at once for whoever waits.
    @Test func aReadAtTheEndWaitsForTheKeyCheckNotTheWholeFile() throws {
        let fetcher = ScriptedFetcher(Array(pdb.bytes))
        fetcher.piece = 4096
        fetcher.pause = 300_000
        fetcher.urgentPause = 0
        let (download, finished) = try download(fetcher, chunk: 4096, urgentSize: 4096, workers: 1)
        let size = UInt64(pdb.bytes.count)
        #expect(size >= 16 * 4096)
        #expect(try read(download, size - 4096..<size) == Array(pdb.bytes.suffix(4096)))
        #expect(finished.wait(seconds: 0) == nil, "the read at the end waited for the whole file")
        #expect(try #require(finished.wait(seconds: 60)).isSuccess)
    }

    /// Waiting for a whole file (a CAB, which is only of use complete) leaves the fetching to the workers: no
    /// short ranges on the side.
    @Test func waitingForTheWholeFileFetchesNothingItself() throws {
        let fetcher = ScriptedFetcher(Array(pdb.bytes))
        fetcher.piece = 4096
        fetcher.pause = 20_000
        let (download, finished) = try download(fetcher, chunk: 4096, workers: 2, compressed: true)
        try download.waitUntilComplete()
        #expect(fetcher.urgentRanges.isEmpty, "\(fetcher.urgentRanges)")
        #expect(fetcher.bytesSent == pdb.bytes.count)
        #expect(try #require(finished.wait()).isSuccess)
    }

    /// A wrong file is found out from its first pages: the download ends without fetching the rest.
    @Test func aWrongFileEndsItsDownloadEarly() throws {
        let fetcher = ScriptedFetcher(Array(Samples.shared.betaPDB.bytes))
        fetcher.piece = 4096
        fetcher.pause = 300_000
        fetcher.urgentPause = 0
        let (download, finished) = try download(fetcher, chunk: 4096, urgentSize: 4096, workers: 1)
        let result = try #require(finished.wait(seconds: 30))
        #expect(!result.isSuccess)
        #expect(fetcher.bytesSent < fetcher.content.count / 2, "\(fetcher.bytesSent) of \(fetcher.content.count)")
        _ = download
    }

    @Test func theWrongFileIsRejectedAfterArriving() throws {
        // The server sends beta.pdb's bytes for alpha.pdb's key.
        let fetcher = ScriptedFetcher(Array(Samples.shared.betaPDB.bytes))
        let (download, finished) = try download(fetcher)
        let result = try #require(finished.wait())
        guard case .failure(let error) = result else {
            Issue.record("a wrong file was accepted")
            return
        }
        #expect(error.kind == .contentRejected)
        #expect(error.detail.contains("holds key"))
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/final/alpha.pdb"))
        _ = download
    }

    /// A read of bytes that have arrived still waits for the key check: a reader is never handed a byte of a
    /// wrong file, even one at its start while the pages the check needs are still on their way.
    @Test func aReadOfAWrongFileFailsRatherThanAnswer() throws {
        let fetcher = ScriptedFetcher(Array(Samples.shared.betaPDB.bytes))
        fetcher.pause = 20_000
        let (download, _) = try download(fetcher, urgentFetches: 0, workers: 1)
        let failure = #expect(throws: SymbolStoreError.self) { try download.waitForBytes(0..<4096) }
        #expect(failure?.kind == .contentRejected)
    }

    @Test func anHTMLPageIsNotAPDB() throws {
        let html = Array("<html><body>Sign in</body></html>".utf8)
        let fetcher = ScriptedFetcher(html)
        let (_, finished) = try download(fetcher)
        guard case .failure(let error) = try #require(finished.wait()) else {
            Issue.record("HTML was accepted as a PDB")
            return
        }
        #expect(error.detail.contains("not a PE image, PDB or .dbg file"))
    }

    /// Readers waiting on workers that receive nothing give up after the stall timeout.
    @Test func aStalledDownloadFailsItsReaders() throws {
        let fetcher = ScriptedFetcher(Array(pdb.bytes))
        fetcher.pause = 3_000_000
        fetcher.piece = 1
        let (download, _) = try download(fetcher, stall: 1, urgentFetches: 0)
        let started = Date()
        #expect(throws: SymbolStoreError.self) { try download.waitForBytes(0..<4096) }
        #expect(Date().timeIntervalSince(started) < 5)
    }

    /// A download that keeps bringing bytes, but fewer than the floor, fails within one window of the stall
    /// timeout, every reader with it, however steadily it trickles.
    @Test func aTricklingDownloadFailsWithinOneWindow() throws {
        let fetcher = ScriptedFetcher(Array(pdb.bytes))
        // 2 bytes every 20 ms on each of 4 workers: 400 bytes/s, under the 1 KiB/s floor.
        fetcher.pause = 20_000
        fetcher.piece = 2
        let (download, finished) = try download(fetcher, stall: 1, urgentFetches: 0)
        let started = Date()
        let failure = #expect(throws: SymbolStoreError.self) { try download.waitForBytes(0..<UInt64(pdb.bytes.count)) }
        #expect(failure?.kind == .upstreamUnavailable(.timeout))
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(try #require(finished.wait(seconds: 10)).isSuccess == false)
        #expect(throws: SymbolStoreError.self) { try download.waitForBytes(0..<1) }
    }

    /// A reader fetching a far range itself is bounded by the transfer's own stall limit, and its failure ends
    /// the download for every reader.
    @Test func aReadersStalledFetchFailsTheDownload() throws {
        let fetcher = ScriptedFetcher(Array(pdb.bytes))
        fetcher.pause = 3_000_000
        fetcher.stallLimit = 500_000
        fetcher.piece = 1
        let (download, finished) = try download(fetcher, stall: 30)
        let size = UInt64(pdb.bytes.count)
        let started = Date()
        #expect(throws: SymbolStoreError.self) { try download.waitForBytes(size - 8192..<size - 4096) }
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(fetcher.urgentRanges.contains { $0.contains(size - 8192) }, "\(fetcher.urgentRanges)")
        #expect(try #require(finished.wait(seconds: 10)).isSuccess == false)
    }
}

extension Result {
    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
