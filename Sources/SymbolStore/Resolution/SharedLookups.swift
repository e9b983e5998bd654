import SystemSupport

/// Lookups of one file from many threads at once share one resolution (single flight), and a resolution that had
/// to ask a server is remembered for `memory`, so a burst of clients asking for one file, or for one missing
/// file, costs one probe round. Resolutions that only looked at local stores are not remembered: they are cheap,
/// and a local store may change at any time (a local hit found after a server was asked is, like any answer
/// that asked one). Failures are shared with the callers waiting for them, never kept.
///
/// A miss is shared and remembered only for the spelling asked: stores are probed in spellings derived from it,
/// so another spelling may find what this one did not. A hit is the file whatever the spelling, so it is
/// remembered for every spelling the case rule merges.
final class SharedLookups: @unchecked Sendable {
    enum Outcome {
        case found(ResolvedSymbol)
        case missing
        case failed(SymbolStoreError)
    }

    /// What a resolution found, and whether it asked a server.
    struct Resolution {
        var symbol: ResolvedSymbol?
        var askedServer: Bool
    }

    private final class Flight {
        var outcome: Outcome?
    }

    private struct Memory {
        var outcome: Outcome
        var expires: Duration
    }

    static let capacity = 16_384
    let memory: Duration
    private let clock: any TimeSource
    private let caseInsensitive: Bool
    private let lock = ConditionLock()
    /// By the request as asked.
    private var flights: [SymbolRequest: Flight] = [:]
    private var remembered: [SymbolRequest: Memory] = [:]
    /// Hits, by the request in the spelling the case rule merges.
    private var rememberedHits: [SymbolRequest: Memory] = [:]

    init(memory: Duration, clock: any TimeSource, caseInsensitive: Bool) {
        self.memory = memory
        self.clock = clock
        self.caseInsensitive = caseInsensitive
    }

    func lookup(
        _ request: SymbolRequest, resolve: () throws(SymbolStoreError) -> Resolution
    ) throws(SymbolStoreError) -> ResolvedSymbol? {
        let key = request
        let merged = normalized(request)
        let now = clock.now()
        enum Turn {
            case answered(Outcome)
            case resolve(Flight)
        }
        let turn = lock.withLock { () -> Turn in
            for (table, index) in [(\SharedLookups.remembered, key), (\SharedLookups.rememberedHits, merged)] {
                guard let memory = self[keyPath: table][index] else { continue }
                if memory.expires > now { return .answered(memory.outcome) }
                self[keyPath: table][index] = nil
            }
            if let flight = flights[key] {
                while flight.outcome == nil { lock.wait() }
                return .answered(flight.outcome!)
            }
            let flight = Flight()
            flights[key] = flight
            return .resolve(flight)
        }
        switch turn {
        case .answered(let outcome):
            return try Self.answer(outcome, for: request)
        case .resolve(let flight):
            let outcome: Outcome
            var remember = false
            do {
                let resolution = try resolve()
                outcome = resolution.symbol.map(Outcome.found) ?? .missing
                remember = resolution.askedServer && memory > .zero
            } catch {
                outcome = .failed(error)
            }
            let expires = clock.now() + memory
            lock.withLock {
                flight.outcome = outcome
                flights[key] = nil
                if remember {
                    if remembered.count + rememberedHits.count >= Self.capacity { dropExpired(now: expires - memory) }
                    if case .found = outcome {
                        rememberedHits[merged] = Memory(outcome: outcome, expires: expires)
                    } else {
                        remembered[key] = Memory(outcome: outcome, expires: expires)
                    }
                }
                lock.broadcast()
            }
            return try Self.answer(outcome, for: request)
        }
    }

    /// Drops what is remembered of `request`, in every spelling: its answer no longer holds.
    func forget(_ request: SymbolRequest) {
        let merged = normalized(request)
        lock.withLock {
            rememberedHits[merged] = nil
            remembered = remembered.filter { normalized($0.key) != merged }
        }
    }

    /// With the lock held.
    private func dropExpired(now: Duration) {
        remembered = remembered.filter { $0.value.expires > now }
        rememberedHits = rememberedHits.filter { $0.value.expires > now }
        if remembered.count + rememberedHits.count >= Self.capacity {
            remembered.removeAll(keepingCapacity: true)
            rememberedHits.removeAll(keepingCapacity: true)
        }
    }

    private func normalized(_ request: SymbolRequest) -> SymbolRequest {
        guard caseInsensitive else { return request }
        return SymbolRequest(name: request.name.lowercased(), key: request.key.lowercased(), variant: request.variant)
    }

    /// The outcome for one caller: a shared hit answers with the caller's own spelling of the request.
    private static func answer(_ outcome: Outcome, for request: SymbolRequest) throws(SymbolStoreError)
        -> ResolvedSymbol? {
        switch outcome {
        case .found(let symbol): return symbol.request == request ? symbol : symbol.asked(as: request)
        case .missing: return nil
        case .failed(let error): throw error
        }
    }
}
