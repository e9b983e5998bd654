import SystemSupport
/// Counts of the work `open` did, for logs and for checking that concurrent opens share it.
public struct ResolverStatistics: Sendable, Hashable {
    /// Cabinets decompressed into a cache.
    public var decompressions = 0
    /// Files (plain or compressed) copied into a cache.
    public var copies = 0
    /// Cache writes that failed and were skipped or reported.
    public var failedWrites = 0
    /// Lookups answered by each store: `element.tier`, the element's index in the symbol path and the store's
    /// in its `srv*` chain (0 for other elements).
    public var hitsByStore: [String: Int] = [:]
    /// Downloads from HTTP stores that completed, failed, and the bytes the completed ones brought.
    public var downloads = 0
    public var failedDownloads = 0
    public var bytesDownloaded: UInt64 = 0

    /// `name value` lines for the mount's statistics file.
    public var text: String {
        var lines = hitsByStore.keys.sorted().map { "hits_store_\($0) \(hitsByStore[$0]!)\n" }
        lines += ["downloads \(downloads)\n", "failed_downloads \(failedDownloads)\n",
                  "bytes_downloaded \(bytesDownloaded)\n", "decompressions \(decompressions)\n",
                  "cache_copies \(copies)\n", "failed_cache_writes \(failedWrites)\n"]
        return lines.joined()
    }
}

/// `ResolverStatistics` shared by concurrent opens.
final class StatisticsCounter: @unchecked Sendable {
    private let lock = ConditionLock()
    private var value = ResolverStatistics()
    private var storedObserver: (@Sendable (UInt64) -> Void)?

    func update(_ change: (inout ResolverStatistics) -> Void) {
        lock.withLock { change(&value) }
    }

    /// Calls `observer` with the size of every file that lands in a cache from now on.
    func observeStored(_ observer: @escaping @Sendable (UInt64) -> Void) {
        lock.withLock { storedObserver = observer }
    }

    /// A file of `bytes` landed in a cache (a download, a copy, a decompressed archive).
    func stored(_ bytes: UInt64) {
        lock.withLock { storedObserver }?(bytes)
    }

    var snapshot: ResolverStatistics {
        lock.withLock { value }
    }
}
