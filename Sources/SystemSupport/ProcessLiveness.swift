#if canImport(Glibc)
import Glibc
#endif

/// Whether the process that left something behind (a temporary file, a download folder named by its pid) is
/// gone, so what it left may be removed. This process is never gone; a pid the system cannot vouch for
/// (another user's process, EPERM) counts as alive.
package enum ProcessLiveness {
    package static func hasExited(_ pid: Int32) -> Bool {
        pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH
    }
}
