import SystemSupport

/// Counts the connections being served; one past `maximum` is refused with a 503 rather than left waiting.
final class ConnectionLimit: Sendable {
    let maximum: Int
    private let count = Locked(0)

    init(maximum: Int) {
        self.maximum = maximum
    }

    /// Whether one more connection may be served; each admitted one must be `release`d when it closes.
    func admit() -> Bool {
        count.withLock { count in
            guard count < maximum else { return false }
            count += 1
            return true
        }
    }

    func release() {
        count.withLock { $0 -= 1 }
    }

    var current: Int { count.withLock { $0 } }
}
