#if canImport(Glibc)
import Glibc
#endif

/// When a cached file was last used, kept on the file itself: its atime, set explicitly on open (so `noatime` and
/// `relatime` mounts do not matter) and at most once an hour, judged from the time already on the file, so warm
/// re-opens write nothing and a restart or a change made behind the daemon's back is seen. A file never opened
/// counts from its arrival, its mtime. No database: the record survives restarts and copies (`cp -a`).
package enum UseRecord {
    /// Uses closer together than this are recorded once.
    package static let resolution: Int64 = 3600

    /// The last use of a file with these times: the later of its atime and mtime, in seconds since the epoch.
    package static func lastUse(_ info: stat) -> Int64 {
        max(Int64(info.st_atim.tv_sec), Int64(info.st_mtim.tv_sec))
    }

    /// Records a use of the file open as `descriptor` now, unless one was recorded within the hour.
    /// Failures (a read-only store, another owner's file) are ignored: the record is advice.
    package static func recordUse(of descriptor: Int32, now: Int64) {
        var info = stat()
        guard fstat(descriptor, &info) == 0, now - lastUse(info) >= resolution else { return }
        // UTIME_NOW and UTIME_OMIT from <sys/stat.h>, macros Swift does not import.
        var times = [timespec(tv_sec: 0, tv_nsec: (1 << 30) - 1), timespec(tv_sec: 0, tv_nsec: (1 << 30) - 2)]
        _ = futimens(descriptor, &times)
    }
}
