/// A monotonic clock that tests can drive (negative cache and blackout periods).
public protocol TimeSource: Sendable {
    /// Time since an arbitrary fixed origin; never goes back.
    func now() -> Duration
}

/// CLOCK_MONOTONIC.
public struct MonotonicTimeSource: TimeSource {
    public init() {}

    public func now() -> Duration {
        MonotonicTime.now()
    }
}
