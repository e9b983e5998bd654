/// Server files whose content did not match their key (a lying server, spec §3.2 "200 + HTML"): lookups skip
/// them for a while, so the next store down the path is tried.
final class RejectedRemoteFiles: @unchecked Sendable {
    static let period: Double = 300
    private let lock = ConditionLock()
    private var until: [String: Double] = [:]

    func reject(_ url: String) {
        lock.withLock { until[url] = ConditionLock.now + Self.period }
    }

    func contains(_ url: String) -> Bool {
        lock.withLock {
            guard let deadline = until[url] else { return false }
            if deadline > ConditionLock.now { return true }
            until[url] = nil
            return false
        }
    }
}
