/// One lock per string (a cache target's path), made on demand and dropped when no one holds or waits for it,
/// so concurrent opens of the same file decompress or copy it once (the second one rechecks under the lock)
/// while different files proceed in parallel. Within one process only; across processes the atomic rename
/// keeps caches whole, at worst doing the work twice.
final class KeyedLocks: @unchecked Sendable {
    private final class Entry {
        let lock = ConditionLock()
        var users = 0
    }

    private let table = ConditionLock()
    private var entries: [String: Entry] = [:]

    func withLock<T, E: Error>(_ key: String, _ body: () throws(E) -> T) throws(E) -> T {
        let entry = table.withLock {
            let entry = entries[key] ?? Entry()
            entries[key] = entry
            entry.users += 1
            return entry
        }
        defer {
            table.withLock {
                entry.users -= 1
                if entry.users == 0 { entries[key] = nil }
            }
        }
        return try entry.lock.withLock(body)
    }
}
