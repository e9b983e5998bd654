/// What a prune keeps a cache within (AgeStore's `-days`, `-date` and `-size`, docs/symbol-stores.md §4.2).
package enum PruneLimit: Sendable, Hashable {
    /// Key directories last used before this moment (seconds since the epoch) go.
    case usedSince(Int64)
    /// Least recently used key directories go until the files left total at most this many bytes.
    case totalBytes(UInt64)
}
