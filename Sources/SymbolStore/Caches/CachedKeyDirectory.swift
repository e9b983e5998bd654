/// A key directory of a cache (`name/KEY/`): the unit pruning removes, never half of one.
package struct CachedKeyDirectory: Sendable, Hashable {
    /// Below the cache root: `name/KEY`, or `na/name/KEY` in a two-tier cache.
    package var relativePath: String
    /// The apparent sizes of its files, summed.
    package var bytes: UInt64
    /// The latest use of any of its files (`UseRecord.lastUse`), in seconds since the epoch.
    package var lastUse: Int64
    /// Whether a live writer's temporary file is in it: such a directory is never chosen.
    package var isBeingWritten = false
}
