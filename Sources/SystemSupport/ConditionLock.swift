#if canImport(Glibc)
import Glibc
#endif

/// A pthread mutex with one condition variable, for threads that block (libfuse workers waiting on the transfer
/// thread or on a download's progress, download threads); Swift's `Mutex` has no condition to wait on. Never
/// used from the Swift concurrency pool.
package final class ConditionLock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    package init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    package func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Waits, with the lock held by the caller (inside `withLock`), until signalled.
    package func wait() {
        pthread_cond_wait(condition, mutex)
    }

    /// Waits, with the lock held by the caller (inside `withLock`), until signalled or `seconds` pass.
    package func wait(seconds: Double) {
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        let nanoseconds = Int(seconds * 1e9) + deadline.tv_nsec
        deadline.tv_sec += nanoseconds / 1_000_000_000
        deadline.tv_nsec = nanoseconds % 1_000_000_000
        pthread_cond_timedwait(condition, mutex, &deadline)
    }

    package func broadcast() {
        pthread_cond_broadcast(condition)
    }

    /// Seconds on the monotonic clock.
    package static var now: Double {
        let (seconds, attoseconds) = MonotonicTime.now().components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
