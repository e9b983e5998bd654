/// Counts of the work `open` did, for logs and for checking that concurrent opens share it.
public struct ResolverStatistics: Sendable, Hashable {
    /// Cabinets decompressed into a cache.
    public var decompressions = 0
    /// Files (plain or compressed) copied into a cache.
    public var copies = 0
    /// Cache writes that failed and were skipped or reported.
    public var failedWrites = 0
}

/// `ResolverStatistics` shared by concurrent opens.
final class StatisticsCounter: @unchecked Sendable {
    private let lock = ConditionLock()
    private var value = ResolverStatistics()

    func update(_ change: (inout ResolverStatistics) -> Void) {
        lock.withLock { change(&value) }
    }

    var snapshot: ResolverStatistics {
        lock.withLock { value }
    }
}
