import SystemSupport

/// Misses remembered for a while (SymProxy's `MissTimeout`, spec §4.1; spec §7 #9: a bounded negative cache
/// stops miss storms and still lets a file that appears later be found). A success for a key forgets its miss.
public final class NegativeCache: Sendable {
    private struct State {
        var expiries: [String: Duration] = [:]
        /// Insertion order, for dropping the oldest when full (may hold keys already gone).
        var order: [String] = []
        var orderStart = 0
    }

    public let timeout: Duration
    public let capacity: Int
    private let clock: any TimeSource
    private let state = Locked(State())

    public init(timeout: Duration, capacity: Int = 65536, clock: any TimeSource = MonotonicTimeSource()) {
        self.timeout = timeout
        self.capacity = max(1, capacity)
        self.clock = clock
    }

    /// Whether `key` missed less than `timeout` ago.
    public func contains(_ key: String) -> Bool {
        let now = clock.now()
        return state.withLock { state in
            guard let expiry = state.expiries[key] else { return false }
            if expiry > now { return true }
            state.expiries[key] = nil
            return false
        }
    }

    public func insert(_ key: String) {
        guard timeout > .zero else { return }
        let expiry = clock.now() + timeout
        state.withLock { state in
            if state.expiries.updateValue(expiry, forKey: key) == nil { state.order.append(key) }
            while state.expiries.count > capacity, state.orderStart < state.order.count {
                state.expiries[state.order[state.orderStart]] = nil
                state.orderStart += 1
            }
            if state.orderStart > 4096 && state.orderStart * 2 > state.order.count {
                state.order = state.order[state.orderStart...].filter { state.expiries[$0] != nil }
                state.orderStart = 0
            }
        }
    }

    public func remove(_ key: String) {
        _ = state.withLock { $0.expiries.removeValue(forKey: key) }
    }

    public var count: Int { state.withLock { $0.expiries.count } }
}
