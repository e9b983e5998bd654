import SystemSupport
/// The downloads in progress, one per destination, so that every lookup and open of a file, from any thread,
/// shares a single transfer (fuse-notes §6.2); and at most `maximumDownloads` of them at once, later ones waiting
/// for a slot. A download is made outside the lock (making one creates a file and starts threads); opens of the
/// same file in the meantime wait for it. A download's own lock is never held when it calls into the registry.
final class DownloadRegistry: @unchecked Sendable {
    private enum Slot {
        case starting
        case running(RemoteDownload)
    }

    private let lock = ConditionLock()
    private var slots: [String: Slot] = [:]
    /// Downloads that ended before the open that made them recorded them.
    private var endedWhileStarting: Set<ObjectIdentifier> = []
    private let maximumDownloads: Int
    /// How long an open waits for a free slot before it fails (a FUSE request never waits without a deadline).
    private let slotWait: Double

    init(maximumDownloads: Int, slotWait: Double) {
        self.maximumDownloads = max(1, maximumDownloads)
        self.slotWait = slotWait
    }

    /// The download for `destination`, made by `start` when none is running; nil when `start` finds none is
    /// needed. A finished download has placed its file before it leaves the registry, so `start` can check for
    /// the file without a race.
    func join(
        _ destination: String, start: () throws(SymbolStoreError) -> RemoteDownload?
    ) throws(SymbolStoreError) -> RemoteDownload? {
        let deadline = ConditionLock.now + slotWait
        let existing = try lock.withLock { () throws(SymbolStoreError) -> RemoteDownload? in
            while true {
                switch slots[destination] {
                case .running(let download): return download
                case .starting: lock.wait()
                case nil:
                    if slots.count < maximumDownloads {
                        slots[destination] = .starting
                        return nil
                    }
                    let left = deadline - ConditionLock.now
                    guard left > 0 else {
                        throw SymbolStoreError(
                            .upstreamUnavailable(.timeout),
                            "\(destination): \(maximumDownloads) downloads still running after \(Int(slotWait)) s")
                    }
                    lock.wait(seconds: left)
                }
            }
        }
        if let existing { return existing }
        let made: RemoteDownload?
        do {
            made = try start()
        } catch {
            settle(destination, nil)
            throw error
        }
        settle(destination, made)
        return made
    }

    private func settle(_ destination: String, _ download: RemoteDownload?) {
        lock.withLock {
            // A download may have ended, and tried to remove itself, before it is recorded here.
            if let download, endedWhileStarting.remove(ObjectIdentifier(download)) == nil {
                slots[destination] = .running(download)
            } else {
                slots[destination] = nil
            }
            lock.broadcast()
        }
    }

    /// Called once a download has ended and said so everywhere it must (counters, rejections).
    func remove(_ destination: String, _ download: RemoteDownload) {
        lock.withLock {
            switch slots[destination] {
            case .running(let running) where running === download:
                slots[destination] = nil
                lock.broadcast()
            case .starting:
                endedWhileStarting.insert(ObjectIdentifier(download))
            default:
                break
            }
        }
    }

    /// Waits, at most `seconds`, until no download is running; returns whether none is.
    @discardableResult
    func waitUntilIdle(seconds: Double) -> Bool {
        let deadline = ConditionLock.now + seconds
        return lock.withLock {
            while !slots.isEmpty {
                let left = deadline - ConditionLock.now
                guard left > 0 else { return false }
                lock.wait(seconds: min(left, 0.05))
            }
            return true
        }
    }
}
