import SystemSupport
/// Server files whose content did not match their key (a lying server, spec §3.2 "200 + HTML"): resolution passes
/// over them for a while, so the next store down the path is tried.
final class RejectedRemoteFiles: @unchecked Sendable {
    static let period: Duration = .seconds(300)
    private let clock: any TimeSource
    private let lock = ConditionLock()
    private var until: [String: Duration] = [:]

    init(clock: any TimeSource) {
        self.clock = clock
    }

    func reject(_ url: String) {
        let deadline = clock.now() + Self.period
        lock.withLock { until[url] = deadline }
    }

    func contains(_ url: String) -> Bool {
        let now = clock.now()
        return lock.withLock {
            guard let deadline = until[url] else { return false }
            if deadline > now { return true }
            until[url] = nil
            return false
        }
    }
}
