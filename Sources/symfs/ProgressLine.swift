import Foundation
import SystemSupport

/// A progress line on standard error (files, bytes, rate), redrawn at most ten times a second; shown only when
/// standard error is a terminal.
final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private let start = MonotonicTimeSource().now()
    private let state = Locked<(lastDraw: Duration, drawn: Bool)>((.zero, false))
    /// Set before work starts, or through `update(files:of:bytes:)`; read under `state`'s lock.
    var total = 0

    init(enabled: Bool) {
        self.enabled = enabled && isatty(2) == 1
    }

    /// With the total known only as work goes on (a prefetch's second steps).
    func update(files: Int, of total: Int, bytes: UInt64) {
        state.withLock { _ in self.total = max(self.total, total) }
        update(files: files, bytes: bytes)
    }

    func update(files: Int, bytes: UInt64) {
        guard enabled else { return }
        let now = MonotonicTimeSource().now()
        let (draw, total) = state.withLock { value -> (Bool, Int) in
            guard now - value.lastDraw >= .milliseconds(100) else { return (false, 0) }
            value = (now, true)
            return (true, self.total)
        }
        guard draw else { return }
        let seconds = max(0.001, Double((now - start).components.attoseconds) / 1e18 + Double((now - start).components.seconds))
        let megabytes = Double(bytes) / 1_048_576
        printErrorWithoutNewline(String(
            format: "\r%d/%d files, %.1f MB, %.1f MB/s   ", files, total, megabytes, megabytes / seconds))
    }

    func finish() {
        guard enabled, state.withLock({ $0.drawn }) else { return }
        printErrorWithoutNewline("\r\u{1B}[K")
    }
}
