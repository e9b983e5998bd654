/// Set once by one thread, waited for by another.
final class CompletionSignal: @unchecked Sendable {
    private let lock = ConditionLock()
    private var done = false

    func signal() {
        lock.withLock {
            done = true
            lock.broadcast()
        }
    }

    func wait() {
        lock.withLock {
            while !done { lock.wait() }
        }
    }
}
