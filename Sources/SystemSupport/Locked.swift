/// A value guarded by a pthread mutex. Used instead of the standard library's `Mutex`, which on Linux is built on
/// futexes that ThreadSanitizer cannot see, so every access under it would be reported as a race.
package final class Locked<Value>: @unchecked Sendable {
    private let lock = ConditionLock()
    /// Guarded by `lock`.
    private var value: Value

    package init(_ value: Value) {
        self.value = value
    }

    package func withLock<Result, Failure: Error>(
        _ body: (inout Value) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try lock.withLock { () throws(Failure) -> Result in try body(&value) }
    }
}
