#if canImport(Glibc)
import Glibc
#endif

/// The downloads in progress, one per destination, so that every lookup and open of a file, from any thread,
/// shares a single transfer (fuse-notes §6.2).
final class DownloadRegistry: @unchecked Sendable {
    private let lock = ConditionLock()
    private var downloads: [String: RemoteDownload] = [:]

    /// The download for `destination`, made by `start` when none is running; nil when `start` finds none is
    /// needed. `start` runs under the registry's lock (a finished download has placed its file before it leaves
    /// the registry, so `start` can check for it without a race), and must only create the download: its
    /// transfers run on their own threads.
    func join(
        _ destination: String, start: () throws(SymbolStoreError) -> RemoteDownload?
    ) throws(SymbolStoreError) -> RemoteDownload? {
        try lock.withLock { () throws(SymbolStoreError) -> RemoteDownload? in
            if let running = downloads[destination] { return running }
            guard let download = try start() else { return nil }
            downloads[destination] = download
            return download
        }
    }

    func remove(_ destination: String, _ download: RemoteDownload) {
        lock.withLock {
            if downloads[destination] === download { downloads[destination] = nil }
        }
    }

    var count: Int {
        lock.withLock { downloads.count }
    }

    /// Waits, at most `seconds`, until no download is running; returns whether none is.
    @discardableResult
    func waitUntilIdle(seconds: Double) -> Bool {
        let deadline = ConditionLock.now + seconds
        while ConditionLock.now < deadline {
            if count == 0 { return true }
            usleep(20_000)
        }
        return count == 0
    }
}
