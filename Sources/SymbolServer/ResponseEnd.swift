import SystemSupport

/// The end of a streamed response, reported once to whoever counts it, whether or not the reporter is known yet:
/// by its body when that ends, or, when the body never began (the head could not go out), by the connection
/// closing its file.
final class ResponseEnd: Sendable {
    private struct State {
        var report: (@Sendable (UInt64) -> Void)?
        var bytes: UInt64?
        var began = false
        var reported = false
    }

    private let state = Locked(State())

    /// Who is told; told at once if the response has already ended.
    func report(to report: @escaping @Sendable (UInt64) -> Void) {
        let ended: UInt64? = state.withLock { state in
            guard !state.reported else { return nil }
            state.report = report
            return Self.take(&state)
        }
        if let ended { report(ended) }
    }

    func bodyBegan() {
        state.withLock { $0.began = true }
    }

    /// The body ended after `bytes`; only the first end counts.
    func end(_ bytes: UInt64) {
        let (report, ended): ((@Sendable (UInt64) -> Void)?, UInt64?) = state.withLock { state in
            if state.bytes == nil { state.bytes = bytes }
            return (state.report, Self.take(&state))
        }
        if let report, let ended { report(ended) }
    }

    /// The connection closed the file: the end, with nothing sent, if the body never began (else the body reports).
    func fileClosed() {
        guard !state.withLock({ $0.began }) else { return }
        end(0)
    }

    /// The bytes to report now, if it is time; the reporter is let go then (it may hold what holds this).
    private static func take(_ state: inout State) -> UInt64? {
        guard !state.reported, state.report != nil, let bytes = state.bytes else { return nil }
        state.reported = true
        state.report = nil
        return bytes
    }
}
