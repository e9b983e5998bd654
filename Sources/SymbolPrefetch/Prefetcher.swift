import SymbolFormats
import SymbolStore
import SystemSupport
#if canImport(Glibc)
import Glibc
#endif

/// Fetches targets through the path's resolver into its caches (the caches a mount fills), `jobs` at a time on
/// threads of its own (lookups and downloads block): each file once however many modules name it, a module's
/// second step (its image's PDB) queued as soon as the image is in, one failure never stopping the rest.
package final class Prefetcher: @unchecked Sendable {
    package struct Progress: Sendable {
        package var done: Int
        package var total: Int
        package var bytes: UInt64
    }

    let resolver: SymbolPathResolver
    let jobs: Int
    package var progress: (@Sendable (Progress) -> Void)?

    private let lock = ConditionLock()
    // Guarded by `lock`.
    private var queue: [PrefetchTarget] = []
    private var next = 0
    private var seen: Set<String> = []
    private var active = 0
    private var results: [PrefetchResult] = []
    private var bytes: UInt64 = 0

    package init(resolver: SymbolPathResolver, jobs: Int) {
        self.resolver = resolver
        self.jobs = max(1, jobs)
    }

    /// Fetches every target and what their images name; returns a result per distinct file, in the order the
    /// targets were given (second steps after their module's image).
    package func run(_ targets: [PrefetchTarget]) -> [PrefetchResult] {
        lock.withLock { for target in targets { enqueue(target) } }
        let workers = min(jobs, max(1, targets.count))
        var started = 0
        for _ in 0..<workers where WorkerThread.start({ [self] in work() }) { started += 1 }
        if started == 0 { work() }
        return lock.withLock {
            while next < queue.count || active > 0 { lock.wait() }
            let order = Dictionary(uniqueKeysWithValues: queue.enumerated().map { ($1.identity, $0) })
            return results.sorted { order[$0.target.identity, default: 0] < order[$1.target.identity, default: 0] }
        }
    }

    /// Called with the lock held.
    private func enqueue(_ target: PrefetchTarget) {
        guard seen.insert(target.identity).inserted else { return }
        queue.append(target)
    }

    private func work() {
        while true {
            let target: PrefetchTarget? = lock.withLock {
                guard next < queue.count else { return nil }
                next += 1
                active += 1
                return queue[next - 1]
            }
            guard let target else { return }
            let (result, named) = fetch(target)
            let report: Progress = lock.withLock {
                results.append(result)
                if case .found(_, let size) = result.outcome { bytes += size }
                if let named { enqueue(named) }
                active -= 1
                return Progress(done: results.count, total: queue.count, bytes: bytes)
            }
            lock.broadcast()
            progress?(report)
        }
    }

    /// Fetches one file whole into the caches; for a two-step target, also the PDB its image names.
    private func fetch(_ target: PrefetchTarget) -> (PrefetchResult, PrefetchTarget?) {
        let request = SymbolRequest(name: target.file.name, key: target.file.key)
        do throws(SymbolStoreError) {
            guard let located = try resolver.locate(request) else {
                return (PrefetchResult(target: target, outcome: .missing), nil)
            }
            let opened = try resolver.open(located)
            defer { close(opened.descriptor) }
            if let availability = opened.availability, opened.size > 0 {
                try availability.waitForBytes(0..<opened.size)
            }
            let found = PrefetchResult(target: target, outcome: .found(store: located.storeRoot, bytes: opened.size))
            guard target.followsPDB else { return (found, nil) }
            // The image's CodeView record, read from the bytes just fetched.
            let image: PEImage
            do throws(SymbolFileError) {
                image = try PEImage(path: "/proc/self/fd/\(opened.descriptor)")
            } catch {
                let why = "the image came, but the PDB it names cannot be read from it: \(error)"
                return (PrefetchResult(target: target, outcome: .failed(why)), nil)
            }
            guard let pdb = image.pdb else { return (found, nil) }
            return (found, PrefetchTarget(pdb.symbolKey, module: target.module))
        } catch {
            return (PrefetchResult(target: target, outcome: error.kind == .notFound ? .missing : .failed(error.detail)), nil)
        }
    }
}
