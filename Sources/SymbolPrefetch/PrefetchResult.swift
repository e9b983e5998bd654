/// What became of one target: found (in which store, how many bytes, now in the path's caches), missing from
/// every store of the path, or failed, with why (a server down, a wrong file, a full disk).
package struct PrefetchResult: Sendable {
    package enum Outcome: Sendable, Equatable {
        case found(store: String, bytes: UInt64)
        case missing
        case failed(String)
    }

    package var target: PrefetchTarget
    package var outcome: Outcome
}
