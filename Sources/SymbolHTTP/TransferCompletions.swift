import SystemSupport
/// Where the transfers of one `HTTPClient.fetchAll` report their end (from the transfer thread), so the calling
/// thread waits for whichever ends first, or until a retry is due, without a thread per transfer.
package final class TransferCompletions: @unchecked Sendable {
    private let lock = ConditionLock()
    /// Guarded by `lock`.
    private var finished: [CurlTransfer] = []

    /// Called once per transfer, after its outcome is set.
    package func add(_ transfer: CurlTransfer) {
        lock.withLock {
            finished.append(transfer)
            lock.broadcast()
        }
    }

    /// The transfers finished since the last call, waiting until there is one or `deadline` (on
    /// `MonotonicTime`) has passed; without a deadline, until there is one.
    package func take(waitingUntil deadline: Duration?) -> [CurlTransfer] {
        lock.withLock {
            while finished.isEmpty {
                guard let deadline else {
                    lock.wait()
                    continue
                }
                let left = deadline - MonotonicTime.now()
                guard left > .zero else { break }
                lock.wait(seconds: Double(left.milliseconds + 1) / 1000)
            }
            defer { finished = [] }
            return finished
        }
    }
}
