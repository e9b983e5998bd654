import Foundation
import SystemSupport

/// A progress line on standard error (files, bytes, rate), redrawn at most ten times a second; shown only when
/// standard error is a terminal.
final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private let start = MonotonicTimeSource().now()
    private let state = Locked<(lastDraw: Duration, drawn: Bool)>((.zero, false))
    var total = 0

    init(enabled: Bool) {
        self.enabled = enabled && isatty(2) == 1
    }

    func update(files: Int, bytes: UInt64) {
        guard enabled else { return }
        let now = MonotonicTimeSource().now()
        let draw = state.withLock { value -> Bool in
            guard now - value.lastDraw >= .milliseconds(100) else { return false }
            value = (now, true)
            return true
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
