import Foundation

/// Runs `body(index)` on `count` plain threads at once (not the Swift concurrency pool: the HTTP client and the
/// file system block their callers) and waits at most `timeout` seconds; false when some did not finish.
public func runOnThreads(_ count: Int, timeout: Double = 30, _ body: @escaping @Sendable (Int) -> Void) -> Bool {
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        Thread {
            body(index)
            group.leave()
        }.start()
    }
    return group.wait(timeout: .now() + timeout) == .success
}

/// A count threads add to.
public final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    public init() {}
    public func add() { lock.withLock { count += 1 } }
    public var value: Int { lock.withLock { count } }
}
