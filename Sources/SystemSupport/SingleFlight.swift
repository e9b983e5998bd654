/// A value worked out once, by one caller at a time, and kept once it has been: callers that come while it is
/// being worked out wait (holding no lock while the work runs) and get that work's result, a failure included.
/// A failure is not kept: the next caller after it works the value out again.
package final class SingleFlight<Value, Failure: Error>: @unchecked Sendable {
    private enum Turn {
        case known(Value)
        case failed(Failure)
        case work
    }

    package init() {}

    private let lock = ConditionLock()
    /// Guarded by `lock`.
    private var value: Value?
    private var working = false
    /// How many workings-out have ended.
    private var ended = 0
    private var lastFailure: Failure?

    package func value(_ work: () throws(Failure) -> Value) throws(Failure) -> Value {
        let turn = lock.withLock { () -> Turn in
            if let value { return .known(value) }
            guard working else {
                working = true
                return .work
            }
            let awaited = ended
            while ended == awaited { lock.wait() }
            if let value { return .known(value) }
            return .failed(lastFailure!)
        }
        switch turn {
        case .known(let value): return value
        case .failed(let failure): throw failure
        case .work: break
        }
        let result = Result { () throws(Failure) in try work() }
        lock.withLock {
            switch result {
            case .success(let found): value = found
            case .failure(let failure): lastFailure = failure
            }
            working = false
            ended += 1
            lock.broadcast()
        }
        return try result.get()
    }
}
