/// The outcomes of probes run at the same time, gathered in probe order.
final class ProbeOutcomes: @unchecked Sendable {
    private let lock = ConditionLock()
    private var outcomes: [Result<StoreHit?, HTTPError>?]

    init(count: Int) {
        outcomes = Array(repeating: nil, count: count)
    }

    func set(_ index: Int, _ outcome: Result<StoreHit?, HTTPError>) {
        lock.withLock {
            outcomes[index] = outcome
            lock.broadcast()
        }
    }

    func waitForAll() -> [Result<StoreHit?, HTTPError>] {
        lock.withLock {
            while outcomes.contains(where: { $0 == nil }) { lock.wait() }
            return outcomes.map { $0! }
        }
    }
}
