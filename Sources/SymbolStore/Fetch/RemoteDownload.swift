import SystemPackage
import Logging
import SymbolFormats
import SystemSupport
#if canImport(Glibc)
import Glibc
#endif

/// One file arriving from an HTTP store into a cache: written into a temporary file as its bytes come, readable
/// at once wherever they have come, verified against its key when complete, then renamed to its place. Every
/// open of the file in the meantime shares this one download (fuse-notes §6.2, §6.3).
///
/// The file is fetched in chunks by a few worker threads, lowest chunk first; a reader that needs bytes no
/// worker has started fetches a short range from the first of them itself, at once, on the client's interactive
/// lane, so a debugger reading a PDB's stream directory at the end does not wait for the rest. A server without
/// Range support gets one GET for the whole file.
final class RemoteDownload: ContentAvailability, @unchecked Sendable {
    enum State {
        case running
        case complete
        case failed(SymbolStoreError)
    }


    let file: RemoteFile
    let request: SymbolRequest
    let size: UInt64
    let temporaryPath: String
    let finalPath: String
    private let source: any RemoteFetching
    private let settings: DownloadSettings
    /// The threads this download may start beyond its first worker, shared with every other download.
    private let extraWorkers: ThreadBudget
    private let logger: Logger
    private let descriptor: Int32
    private let lock = ConditionLock()
    private let place: @Sendable (RemoteDownload) -> Result<Void, SymbolStoreError>
    private let ended: @Sendable (RemoteDownload, Result<Void, SymbolStoreError>) -> Void

    // Guarded by `lock`.
    private var arrived = ByteRanges()
    private var claimed = ByteRanges()
    /// Chunks claimed when the download starts, for the workers to take first: the start of the file is spoken
    /// for before any reader or the key check looks for bytes no one fetches.
    private var firstChunks: [Range<UInt64>] = []
    /// What each waiting reader waits for, so arriving bytes wake readers only when one of them can go on.
    private var waiters: [Range<UInt64>] = []
    private var state = State.running
    /// Set by the first `finish`, before the state says how it ended.
    private var ending = false
    /// The progress window: when it began and the bytes that arrived since. A window of `stallTimeout` that
    /// brought fewer than `minimumSpeed` bytes a second ends the download (a stall, or a trickle).
    private var windowStart = ConditionLock.now
    private var windowBytes: UInt64 = 0
    /// Worker threads and readers fetching a range.
    private var activeWorkers = 0
    /// Worker threads still running that came from `extraWorkers`.
    private var borrowedWorkers = 0
    /// Fetches of workers and of readers in progress.
    private var activeUrgentFetches = 0
    /// The content matched its key: checked early on the bytes the check needs, or on the whole file.
    private var checked = false
    private let startTime = ConditionLock.now

    /// Creates the temporary file (sized up front, sparse) and starts the workers. Once every byte has arrived
    /// and the content matches its key, `place` puts the file where it belongs (before readers are told the
    /// download is complete); `ended` runs once, after success or failure, with the outcome.
    init(
        file: RemoteFile, request: SymbolRequest, temporaryPath: String, finalPath: String,
        source: any RemoteFetching, settings: DownloadSettings, extraWorkers: ThreadBudget = ThreadBudget(.max),
        logger: Logger, place: @escaping @Sendable (RemoteDownload) -> Result<Void, SymbolStoreError>,
        ended: @escaping @Sendable (RemoteDownload, Result<Void, SymbolStoreError>) -> Void
    ) throws(SymbolStoreError) {
        self.file = file
        self.request = request
        self.size = file.transferSize
        self.temporaryPath = temporaryPath
        self.finalPath = finalPath
        self.source = source
        self.settings = settings
        self.extraWorkers = extraWorkers
        self.logger = logger
        self.place = place
        self.ended = ended
        descriptor = open(temporaryPath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .posix(errno, "cannot create", temporaryPath) }
        if ftruncate(descriptor, off_t(size)) != 0 {
            let code = errno
            close(descriptor)
            unlink(temporaryPath)
            throw .posix(code, "cannot size", temporaryPath)
        }
        if file.acceptsRanges, !file.prefix.isEmpty {
            let prefix = file.prefix
            let written = prefix.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
            if written == prefix.count {
                arrived.insert(0..<UInt64(prefix.count))
                claimed.insert(0..<UInt64(prefix.count))
            }
        }
        let chunks = file.acceptsRanges ? Int((size + settings.chunkSize - 1) / settings.chunkSize) : 1
        let borrowed = extraWorkers.take(upTo: min(settings.maximumWorkers, chunks) - 1)
        let workers = 1 + borrowed
        // Counted under the lock, so no worker can see itself as the last one out before all have started.
        let (started, unused) = lock.withLock { () -> (Int, Int) in
            firstChunks = (0..<workers).compactMap { _ in claimNextChunk() }
            for _ in 0..<workers where WorkerThread.start({ [self] in work() }) {
                activeWorkers += 1
            }
            let running = max(0, activeWorkers - 1)
            borrowedWorkers += running
            return (activeWorkers, borrowed - running)
        }
        extraWorkers.giveBack(unused)
        guard started > 0 else {
            unlink(temporaryPath)  // the descriptor is closed by deinit
            throw SymbolStoreError(.internal, "no thread to download \(file.url)")
        }
        if !file.compressed {
            _ = WorkerThread.start { [self] in checkKeyEarly() }
        }
    }

    deinit {
        close(descriptor)
    }

    var isComplete: Bool {
        lock.withLock { if case .complete = state { return true } else { return false } }
    }

    // MARK: Readers

    func waitForBytes(_ range: Range<UInt64>) throws(SymbolStoreError) {
        try waitForBytes(range, beforeKeyCheck: false)
    }

    private func waitForBytes(_ range: Range<UInt64>, beforeKeyCheck: Bool) throws(SymbolStoreError) {
        let range = range.clamped(to: 0..<size)
        do throws(SymbolStoreError) {
            while let urgent = try nextStep(for: range, beforeKeyCheck: beforeKeyCheck) {
                fetchForReader(urgent)
            }
        } catch {
            // A stall seen by one reader ends the download for every reader, and nothing of it is kept.
            finish(.failure(error))
            throw error
        }
    }

    /// Waits until `range` can be read (nil), or until this reader should fetch a part of it itself (that part,
    /// claimed).
    private func nextStep(for range: Range<UInt64>, beforeKeyCheck: Bool) throws(SymbolStoreError) -> Range<UInt64>? {
        try lock.withLock { () throws(SymbolStoreError) -> Range<UInt64>? in
            while true {
                switch state {
                case .failed(let error): throw error
                case .complete: return nil
                case .running: break
                }
                // Every read waits for the check against the key too (the few pages it needs are fetched first),
                // so no reader is ever handed a byte of a wrong file; it never enters a cache either.
                if arrived.contains(range), checked || beforeKeyCheck { return nil }
                if file.acceptsRanges, activeUrgentFetches < settings.urgentFetches,
                   let gap = claimed.firstGap(in: range) {
                    // From the first byte missing on, up to the next claimed byte or `urgentSize`.
                    let window = gap.lowerBound..<min(gap.lowerBound + settings.urgentSize, size)
                    let piece = claimed.firstGap(in: window) ?? gap
                    claimed.insert(piece)
                    activeUrgentFetches += 1
                    activeWorkers += 1
                    return piece
                }
                if let stalled { throw stalled }
                waiters.append(range)
                lock.wait(seconds: 1)
                if let index = waiters.firstIndex(of: range) { waiters.remove(at: index) }
            }
        }
    }

    /// With the lock held: the error for a download whose last `stallTimeout` brought less than `minimumSpeed`
    /// bytes a second; a window that brought enough starts the next one.
    private var stalled: SymbolStoreError? {
        let now = ConditionLock.now
        guard now - windowStart > settings.stallTimeout else { return nil }
        if Double(windowBytes) >= settings.minimumSpeed * settings.stallTimeout {
            windowStart = now
            windowBytes = 0
            return nil
        }
        return SymbolStoreError(
            .upstreamUnavailable(.timeout),
            "\(file.url): \(windowBytes) bytes in \(Int(settings.stallTimeout)) s, under \(Int(settings.minimumSpeed)) bytes/s")
    }

    /// Checks the key as soon as the bytes it needs are in, fetching them first like any reader, so a read at the
    /// end of the file waits for a few pages rather than for the whole file, and a wrong file ends its download
    /// early.
    private func checkKeyEarly() {
        let temporaryPath = temporaryPath
        let reader: RandomAccessFile
        do {
            reader = try RandomAccessFile(path: temporaryPath) { [self] range throws(SymbolFileError) in
                do throws(SymbolStoreError) {
                    try waitForBytes(range, beforeKeyCheck: true)
                } catch {
                    throw .unreadable(path: temporaryPath, reason: error.detail)
                }
            }
        } catch {
            return
        }
        if let mismatch = ContentCheck.mismatch(file: reader, request: request) {
            // Ignored when the download already failed (the check could not read).
            finish(.failure(SymbolStoreError(.contentRejected, "\(file.url): \(mismatch)")))
        } else {
            markChecked()
        }
    }

    /// A reader's own fetch of a range it is waiting for. Should it turn out to be the last piece, the check and
    /// the placing of the file run on a thread of their own, not on the reader's.
    private func fetchForReader(_ piece: Range<UInt64>) {
        do throws(SymbolStoreError) {
            try fetch(piece, urgent: true)
        } catch {
            finish(.failure(error))
        }
        workerEnded(urgent: true) { conclude in
            if !WorkerThread.start(conclude) { conclude() }
        }
    }

    /// Waits until the download has ended, fetching nothing itself (the workers bring every byte); throws when
    /// it failed or made no progress for the stall timeout.
    func waitUntilComplete() throws(SymbolStoreError) {
        let stall = try lock.withLock { () throws(SymbolStoreError) -> SymbolStoreError? in
            while true {
                switch state {
                case .failed(let error): throw error
                case .complete: return nil
                case .running: break
                }
                if let stalled { return stalled }
                lock.wait(seconds: 1)
            }
        }
        if let stall {
            finish(.failure(stall))
            throw stall
        }
    }

    // MARK: Workers

    private func nextChunk() -> Range<UInt64>? {
        lock.withLock {
            guard case .running = state else { return nil }
            return firstChunks.isEmpty ? claimNextChunk() : firstChunks.removeFirst()
        }
    }

    /// With the lock held: the next chunk no one has claimed, claimed.
    private func claimNextChunk() -> Range<UInt64>? {
        if !file.acceptsRanges {
            guard claimed.byteCount == 0 else { return nil }
            claimed.insert(0..<size)
            return 0..<size
        }
        guard let gap = claimed.firstGap(in: 0..<size) else { return nil }
        let chunkEnd = (gap.lowerBound / settings.chunkSize + 1) * settings.chunkSize
        let chunk = gap.lowerBound..<min(chunkEnd, gap.upperBound)
        claimed.insert(chunk)
        return chunk
    }

    private func work() {
        while let chunk = nextChunk() {
            do throws(SymbolStoreError) {
                try fetch(chunk, urgent: false)
            } catch {
                finish(.failure(error))
                break
            }
        }
        let wasBorrowed = lock.withLock { () -> Bool in
            guard borrowedWorkers > 0 else { return false }
            borrowedWorkers -= 1
            return true
        }
        if wasBorrowed { extraWorkers.giveBack(1) }
        workerEnded(urgent: false) { conclude in conclude() }
    }

    /// Counts a worker or a reader's fetch out; the last one out concludes the download through `run`.
    private func workerEnded(urgent: Bool, run: (@escaping @Sendable () -> Void) -> Void) {
        let (last, complete) = lock.withLock { () -> (Bool, Bool) in
            activeWorkers -= 1
            if urgent {
                activeUrgentFetches -= 1
                lock.broadcast()  // a waiting reader may fetch now
            }
            return (activeWorkers == 0, arrived.byteCount == size)
        }
        guard last else { return }
        if complete {
            run { [self] in conclude() }
        } else {
            // The last one ended without the whole file: nothing more will come (finish ignores this when a
            // failure already ended the download).
            finish(.failure(SymbolStoreError(.contentRejected, "\(file.url): the download stopped early")))
        }
    }

    /// Lets readers at the end of the file go: the content matches its key.
    private func markChecked() {
        lock.withLock {
            checked = true
            lock.broadcast()
        }
    }

    /// Checks the whole file unless the early check already did, lets readers at its end go, then flushes and
    /// places it.
    private func conclude() {
        let alreadyChecked = lock.withLock { checked }
        let result = (alreadyChecked ? .success(()) : verify()).flatMap { () -> Result<Void, SymbolStoreError> in
            // Readers need not wait for the flush to disk and the rename.
            markChecked()
            guard fsync(descriptor) == 0 else { return .failure(.posix(errno, "cannot flush", temporaryPath)) }
            return place(self)
        }
        finish(result)
    }

    /// Fetches `chunk`, resuming where its bytes stopped after an attempt that brought some. An attempt that
    /// brought none is not repeated: the HTTP client has already retried what failed before any bytes, and an
    /// answer other than the one asked for (a 404, a 200 to a range) will not change.
    private func fetch(_ chunk: Range<UInt64>, urgent: Bool) throws(SymbolStoreError) {
        var position = chunk.lowerBound
        var attempt = 0
        while position < chunk.upperBound {
            attempt += 1
            let attemptStart = position
            var writeError: SymbolStoreError?
            let wholeFile = !file.acceptsRanges
            let mayResume = { position > attemptStart && attempt < self.settings.attemptsPerChunk && !wholeFile }
            do throws(SymbolStoreError) {
                try source.fetch(file, range: wholeFile ? nil : position..<chunk.upperBound, urgent: urgent) { bytes in
                    let count = min(UInt64(bytes.count), chunk.upperBound - position)
                    guard count > 0 else { return false }
                    if let error = write(bytes, count: Int(count), at: position) {
                        writeError = error
                        return false
                    }
                    position += count
                    return position < chunk.upperBound
                }
            } catch {
                if let writeError { throw writeError }
                guard mayResume() else { throw error }
                logger.info("resuming \(file.url) from byte \(position): \(error.detail)")
                continue
            }
            if let writeError { throw writeError }
            if position < chunk.upperBound, !mayResume() {
                // The server ended the body early: a truncated or lying response.
                throw SymbolStoreError(
                    .contentRejected, "\(file.url): body ended at byte \(position) of \(chunk.upperBound)")
            }
        }
    }

    private func write(_ bytes: UnsafeRawBufferPointer, count: Int, at offset: UInt64) -> SymbolStoreError? {
        do {
            _ = try FileDescriptor(rawValue: descriptor)
                .writeAll(toAbsoluteOffset: Int64(offset), UnsafeRawBufferPointer(rebasing: bytes[..<count]))
        } catch {
            let code = (error as? Errno)?.rawValue ?? EIO
            if code == ENOSPC { logger.error("cache is full: cannot write \(temporaryPath)") }
            return .posix(code, "cannot write", temporaryPath)
        }
        return lock.withLock { () -> SymbolStoreError? in
            // A download that already failed stops its other transfers at their next bytes.
            guard case .running = state else { return SymbolStoreError(.internal, "download ended") }
            arrived.insert(offset..<offset + UInt64(count))
            windowBytes += UInt64(count)
            if waiters.contains(where: { arrived.contains($0) }) { lock.broadcast() }
            return nil
        }
    }

    // MARK: Completion

    /// Checks the complete file against its key, so a wrong file from a lying server never enters a cache
    /// (a compressed file is checked once decompressed, by `place`).
    private func verify() -> Result<Void, SymbolStoreError> {
        if !file.compressed {
            if let mismatch = ContentCheck.mismatch(path: temporaryPath, request: request) {
                return .failure(SymbolStoreError(.contentRejected, "\(file.url): \(mismatch)"))
            }
        }
        return .success(())
    }

    /// Ends the download once, whatever calls it first. `ended` runs before any reader hears of the end, so an open
    /// that follows a failed read finds the failure already recorded (the URL rejected, the download gone).
    private func finish(_ result: Result<Void, SymbolStoreError>) {
        let first = lock.withLock { () -> Bool in
            guard case .running = state, !ending else { return false }
            ending = true
            return true
        }
        guard first else { return }
        if case .failure = result { unlink(temporaryPath) }
        let seconds = ConditionLock.now - startTime
        switch result {
        case .success:
            logger.info("fetched", metadata: [
                "name": "\(request.name)", "key": "\(request.key)", "server": "\(file.url)", "bytes": "\(size)",
                "ms": "\(Int(seconds * 1000))", "outcome": "ok"])
        case .failure(let error):
            logger.warning("fetch failed", metadata: [
                "name": "\(request.name)", "key": "\(request.key)", "server": "\(file.url)",
                "ms": "\(Int(seconds * 1000))", "outcome": "\(error.detail)"])
        }
        ended(self, result)
        lock.withLock {
            switch result {
            case .success: state = .complete
            case .failure(let error): state = .failed(error)
            }
            lock.broadcast()
        }
    }

    /// A read-only descriptor of the file for one reader: the temporary file while it grows, the placed file
    /// once it is complete (the same inode: renaming keeps open descriptors valid).
    func openReader() throws(SymbolStoreError) -> Int32 {
        for path in [temporaryPath, finalPath] {
            let reader = open(path, O_RDONLY | O_CLOEXEC)
            if reader >= 0 { return reader }
            guard errno == ENOENT else { throw .posix(errno, "cannot open", path) }
        }
        // Neither file: the download has ended, or is ending; its outcome says why.
        try waitUntilComplete()
        let reader = open(finalPath, O_RDONLY | O_CLOEXEC)
        guard reader >= 0 else { throw .posix(errno, "cannot open", finalPath) }
        return reader
    }
}
