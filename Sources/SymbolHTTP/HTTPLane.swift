import SystemSupport
/// Which of the client's transfer threads carries a request. Bulk downloads keep their thread busy with body
/// bytes (libcurl services every transfer of a multi handle in turn, and each turn drains a socket), so requests
/// someone is waiting for right now (lookups, a reader's range far ahead of a download) go on a thread of their
/// own and are not queued behind megabytes of other files.
public enum HTTPLane: Sendable, Hashable {
    /// Lookups and the ranges readers wait for.
    case interactive
    /// The chunks of downloads in the background.
    case bulk
}
