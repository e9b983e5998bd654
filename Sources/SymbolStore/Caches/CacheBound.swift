import Logging
import SystemSupport

/// Keeps a cache under `maximum` bytes from a thread of its own, never on a read: files landing are counted as
/// they arrive, and once the count passes the maximum the cache is scanned and pruned, least recently used first,
/// down to the low-water mark (`lowWater`), so pruning runs in bursts. A rescan every `rescanInterval` catches
/// what other processes add or remove. A file open elsewhere stays readable to its holder (unlinked, never
/// truncated), and a file arriving meanwhile is never removed (`CachePruner`).
package final class CacheBound: @unchecked Sendable {
    package let root: String
    package let maximum: UInt64
    package let lowWater: UInt64
    let rescanInterval: Duration
    private let logger: Logger
    private let lock = ConditionLock()
    // Guarded by `lock`.
    private var estimate: UInt64 = 0
    private var stopped = false
    private var prunes = 0
    private var started = false

    /// `lowWater` defaults to 90 % of `maximum`.
    package init(root: String, maximum: UInt64, lowWater: UInt64? = nil, rescanInterval: Double = 300, logger: Logger) {
        self.root = root
        self.maximum = maximum
        self.lowWater = min(maximum, lowWater ?? maximum / 10 * 9)
        self.rescanInterval = .milliseconds(Int64(rescanInterval * 1000))
        self.logger = logger
    }

    /// Starts the pruning thread, which first measures the cache (pruning it when it is over already).
    package func start() {
        let first = lock.withLock {
            defer { started = true }
            return !started
        }
        if first { WorkerThread.start { [self] in run() } }
    }

    package func stop() {
        lock.withLock { stopped = true }
        lock.broadcast()
    }

    /// A file of `bytes` landed in the cache.
    package func stored(_ bytes: UInt64) {
        let over = lock.withLock {
            estimate += bytes
            return estimate > maximum
        }
        if over { lock.broadcast() }
    }

    /// Prunes done so far (for tests and metrics).
    package var pruneCount: Int { lock.withLock { prunes } }

    private func run() {
        var lastScan = MonotonicTime.now()
        measureAndPrune()
        while true {
            let due: Bool? = lock.withLock {
                while !stopped && estimate <= maximum && MonotonicTime.now() - lastScan < rescanInterval {
                    lock.wait(seconds: max(0.05, Double((rescanInterval - (MonotonicTime.now() - lastScan)).milliseconds) / 1000))
                }
                return stopped ? nil : true
            }
            guard due != nil else { return }
            lastScan = MonotonicTime.now()
            measureAndPrune()
        }
    }

    private func measureAndPrune() {
        // Files landing while the scan runs count on top of what it finds.
        let before = lock.withLock { estimate }
        let scan: CacheScan
        do throws(SymbolStoreError) {
            scan = try CacheScan.scan(root)
        } catch {
            if error.kind != .notFound { logger.warning("cache \(root) cannot be measured: \(error.detail)") }
            lock.withLock { estimate -= min(estimate, before) }
            return
        }
        var total = scan.totalBytes
        if total > maximum {
            let chosen = CachePruner.plan(scan, limits: [.totalBytes(lowWater)])
            let report = CachePruner().prune(scan, removing: chosen)
            total = report.keptBytes
            logger.info("cache \(root) pruned", metadata: [
                "removed": "\(report.removed.count)", "bytes": "\(report.removedBytes)", "kept": "\(report.keptBytes)"])
            lock.withLock { prunes += 1 }
        }
        // A prune that could not get under the maximum (files in use, another owner's folders) waits for new
        // files or the next rescan rather than scanning again at once.
        lock.withLock { estimate = min(total, maximum) + (estimate - min(estimate, before)) }
    }
}
