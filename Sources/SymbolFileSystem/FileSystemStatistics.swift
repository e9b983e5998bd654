import Synchronization

/// Counters shown in `/.symfs/stats`.
public final class FileSystemStatistics: Sendable {
    let lookups = Atomic<Int>(0)
    let lookupMisses = Atomic<Int>(0)
    let fileHits = Atomic<Int>(0)
    let fileMisses = Atomic<Int>(0)
    let opens = Atomic<Int>(0)
    let reads = Atomic<Int>(0)
    let bytesRead = Atomic<Int>(0)
    let errors = Atomic<Int>(0)

    static func bump(_ counter: borrowing Atomic<Int>, by amount: Int = 1) {
        counter.wrappingAdd(amount, ordering: .relaxed)
    }

    /// `name value` lines, one counter a line.
    public var text: String {
        let rows: [(String, Int)] = [
            ("lookups", lookups.load(ordering: .relaxed)),
            ("lookup_misses", lookupMisses.load(ordering: .relaxed)),
            ("file_hits", fileHits.load(ordering: .relaxed)),
            ("file_misses", fileMisses.load(ordering: .relaxed)),
            ("opens", opens.load(ordering: .relaxed)),
            ("reads", reads.load(ordering: .relaxed)),
            ("bytes_read", bytesRead.load(ordering: .relaxed)),
            ("errors", errors.load(ordering: .relaxed)),
        ]
        return rows.map { "\($0.0) \($0.1)\n" }.joined()
    }
}
