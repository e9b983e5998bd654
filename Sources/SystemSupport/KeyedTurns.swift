/// One caller at a time per string (a cache target's path), so concurrent opens decompress or copy a file once:
/// the next caller rechecks once the first is done. A waiting caller waits on a condition; no lock is held while a
/// turn's work (disk I/O) runs, and different strings proceed in parallel. Within one process only; across
/// processes the atomic rename keeps caches whole, at worst doing the work twice.
package final class KeyedTurns: @unchecked Sendable {
    package init() {}

    private let lock = ConditionLock()
    /// Guarded by `lock`.
    private var taken: Set<String> = []

    package func withTurn<T, E: Error>(_ key: String, _ body: () throws(E) -> T) throws(E) -> T {
        lock.withLock {
            while taken.contains(key) { lock.wait() }
            taken.insert(key)
        }
        defer {
            lock.withLock {
                taken.remove(key)
                lock.broadcast()
            }
        }
        return try body()
    }
}
