import Foundation
import SymbolStore
import SystemSupport

/// A clock that moves only when a test says so (negative cache and blackout periods).
public final class ManualTimeSource: TimeSource, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Duration

    public init(start: Duration = .seconds(1_000)) {
        current = start
    }

    public func now() -> Duration { lock.withLock { current } }

    public func advance(_ duration: Duration) {
        lock.withLock { current += duration }
    }
}
