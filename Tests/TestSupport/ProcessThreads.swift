import Foundation

/// This process's threads, counted as the entries of `/proc/self/task`.
public enum ProcessThreads {
    public static var count: Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? 0
    }

    /// Runs `body` while another thread counts the threads every 2 ms; returns the highest count seen (that
    /// thread included) with the result of `body`.
    public static func peak<T>(during body: () throws -> T) rethrows -> (peak: Int, result: T) {
        let sampler = PeakSampler()
        let stopped = DispatchSemaphore(value: 0)
        Thread {
            sampler.run()
            stopped.signal()
        }.start()
        defer {
            sampler.stop()
            stopped.wait()
        }
        let result = try body()
        return (sampler.peak, result)
    }
}

private final class PeakSampler: @unchecked Sendable {
    private let lock = NSLock()
    private var highest = 0
    private var stopping = false

    var peak: Int { lock.withLock { highest } }

    func stop() { lock.withLock { stopping = true } }

    func run() {
        while true {
            let count = ProcessThreads.count
            let done = lock.withLock {
                highest = max(highest, count)
                return stopping
            }
            if done { return }
            usleep(2_000)
        }
    }
}
