#if canImport(Glibc)
import Glibc
#endif

/// Monotonic time, for measuring transfers and backing off.
package enum MonotonicTime {
    package static func now() -> Duration {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return .seconds(Int64(spec.tv_sec)) + .nanoseconds(Int64(spec.tv_nsec))
    }

    /// Blocks the calling thread.
    package static func sleep(_ duration: Duration) {
        let nanoseconds = max(0, duration.milliseconds) * 1_000_000
        var request = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}
