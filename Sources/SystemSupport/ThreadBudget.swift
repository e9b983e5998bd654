/// Threads that instances of one kind of work (downloads) may start beyond the one each needs to make progress,
/// shared by all of them: taken without waiting, as many as are left, and given back when those threads end.
package final class ThreadBudget: @unchecked Sendable {
    private let lock = ConditionLock()
    private let limit: Int
    /// Guarded by `lock`.
    private var left: Int

    package init(_ limit: Int) {
        self.limit = max(0, limit)
        left = self.limit
    }

    /// Up to `wanted` threads, fewer (or none) when the budget is spent.
    package func take(upTo wanted: Int) -> Int {
        lock.withLock {
            let granted = min(max(0, wanted), left)
            left -= granted
            return granted
        }
    }

    package func giveBack(_ count: Int) {
        guard count > 0 else { return }
        lock.withLock { left += min(count, limit - left) }
    }
}
