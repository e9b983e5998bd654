#if canImport(Glibc)
import Glibc
#endif

/// Named moments of a transaction at which the process kills itself with SIGKILL when `SYMFS_CRASH_AT` names
/// one, so tests can stop a writer at every step of its write order instead of at a moment chosen by a timer.
enum CrashPoint: String, CaseIterable {
    case pendingRecorded = "pending-recorded"
    case filesStaged = "files-staged"
    case filesRenamed = "files-renamed"
    case transactionWritten = "transaction-written"
    case serverAppended = "server-appended"
    case historyAppended = "history-appended"
    case committed = "committed"
    case deletionCommitted = "deletion-committed"

    static let chosen: CrashPoint? = getenv("SYMFS_CRASH_AT").flatMap { CrashPoint(rawValue: String(cString: $0)) }

    func reach() {
        if Self.chosen == self { kill(getpid(), SIGKILL) }
    }
}
