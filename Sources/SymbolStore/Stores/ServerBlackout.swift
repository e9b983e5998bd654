import SystemSupport

/// SymSrv's `[timeouts]` rule for one server (spec §3.5): after `count` failures within `window`, the server is
/// skipped for `blackout`; when the blackout ends the count starts again from zero. Local stores are unaffected.
public final class ServerBlackout: Sendable {
    private struct State {
        var failures: [Duration] = []
        var until: Duration?
    }

    public let count: Int
    public let window: Duration
    public let blackout: Duration
    private let clock: any TimeSource
    private let state = Locked(State())

    public init(count: Int, window: Duration, blackout: Duration, clock: any TimeSource) {
        self.count = count
        self.window = window
        self.blackout = blackout
        self.clock = clock
    }

    /// Whether the server is being skipped now.
    public var isBlackedOut: Bool {
        let now = clock.now()
        return state.withLock { state in
            guard let until = state.until else { return false }
            if now < until { return true }
            state.until = nil
            state.failures = []
            return false
        }
    }

    /// Counts one failure; true when it starts a blackout.
    @discardableResult
    public func recordFailure() -> Bool {
        guard count > 0 else { return false }
        let now = clock.now()
        return state.withLock { state in
            if state.until != nil { return false }
            state.failures.removeAll { now - $0 >= window }
            state.failures.append(now)
            guard state.failures.count >= count else { return false }
            state.until = now + blackout
            state.failures = []
            return true
        }
    }
}
