import SystemSupport

/// What an HTTP store has learned of its server's handling of case from the server's own answers: whether it
/// finds a file in any case (Microsoft's server, IIS) or only in the spelling it was written in (nginx, S3, Azure
/// Blob), and the spelling rule its last hit used, which the next lookup asks first.
final class ServerCasing: Sendable {
    enum Sensitivity: Sendable, Equatable { case unknown, insensitive, sensitive }

    private struct State {
        var sensitivity = Sensitivity.unknown
        var preferred = SpellingRule.microsoft
        var checking = false
        var failedAt: Duration?
    }

    private let state = Locked(State())
    private let clock: any TimeSource
    /// How long after a check that told nothing the next may be made.
    private let retryAfter: Duration

    init(clock: any TimeSource, retryAfter: Duration) {
        self.clock = clock
        self.retryAfter = retryAfter
    }

    var sensitivity: Sensitivity { state.withLock { $0.sensitivity } }
    var preferred: SpellingRule { state.withLock { $0.preferred } }

    func hit(by rule: SpellingRule) {
        state.withLock { $0.preferred = rule }
    }

    /// Whether the caller should ask the server a file it holds in another case: true for one caller at a time,
    /// while the answer is unknown and no check failed within `retryAfter`.
    func beginCheck() -> Bool {
        let now = clock.now()
        return state.withLock { state in
            guard state.sensitivity == .unknown, !state.checking else { return false }
            if let failedAt = state.failedAt, now - failedAt < retryAfter { return false }
            state.checking = true
            return true
        }
    }

    /// The answer of the check `beginCheck` allowed; `.unknown` when it told nothing (a failure or a timeout).
    func endCheck(_ found: Sensitivity) {
        let now = clock.now()
        state.withLock { state in
            state.checking = false
            if found != .unknown {
                state.sensitivity = found
            } else {
                state.failedAt = now
            }
        }
    }
}
