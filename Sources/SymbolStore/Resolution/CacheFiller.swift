import Logging
import SymbolFormats
import SystemSupport
#if canImport(Glibc)
import Glibc
#endif

/// Makes a resolved local file readable and fills the caches on the way (spec §1.1 "Cascading details"): a plain
/// file is copied into every copy target and opened from the leftmost copy; a CAB or ZIP is decompressed once into
/// the leftmost target that can be written (the default downstream store when there is none) with compressed
/// copies in the others; a `file.ptr` goes to the stores that want pointers. Every write is atomic (temporary file,
/// fsync, rename) and done once however many opens race for it (one turn per destination, rechecked in it).
final class CacheFiller: Sendable {
    let graph: StoreGraph
    let counter: StatisticsCounter
    let logger: Logger
    private let turns = KeyedTurns()

    init(graph: StoreGraph, counter: StatisticsCounter, logger: Logger) {
        self.graph = graph
        self.counter = counter
        self.logger = logger
    }

    /// Opens a file found in a local store, plain directory or through a local `file.ptr`.
    func open(_ symbol: ResolvedSymbol) throws(SymbolStoreError) -> OpenedSymbolFile {
        let plan = CopyPlan(symbol: symbol, graph: graph)
        switch symbol.form {
        case .file(let path):
            return try serveCopies(of: path, plan: plan)
        case .compressed(let path):
            return try serveDecompressed(try CompressedArchive.reading(path), at: path, plan: plan)
        case .pointer(let pointerPath, let target):
            copyPointer(pointerPath, target: target, plan: plan)
            // As the lookup judged it (LocalSymbolStore.hit): decompressed only when it reads as an archive.
            if CompressedArchive.hasMagic(target), let archive = try? CompressedArchive(path: target) {
                return try serveDecompressed(archive, at: target, plan: plan)
            }
            return try serveCopies(of: target, plan: plan)
        case .remote:
            throw SymbolStoreError(.internal, "\(symbol.request): a remote file is opened by its download")
        }
    }

    /// Copies a plain file into every target (a target that cannot be written is skipped, as SymSrv skips
    /// stores it cannot write) and opens the leftmost copy, or the file itself when no copy was made.
    private func serveCopies(of source: String, plan: CopyPlan) throws(SymbolStoreError) -> OpenedSymbolFile {
        let copies = copy(source, into: plan.targets.filter { !plan.isOrigin($0) }, plan: plan, compressed: false)
        return try LocalFileSystem.openReadOnly(copies.first ?? source)
    }

    /// Copies `source` into each target that does not hold it yet, as `name` or (`compressed`) `name_`; a target
    /// that cannot be written is skipped and logged. Returns the copies made or found, in target order.
    @discardableResult
    func copy(_ source: String, into targets: [LocalSymbolStore], plan: CopyPlan, compressed: Bool) -> [String] {
        var copies: [String] = []
        for target in targets {
            do throws(SymbolStoreError) {
                copies.append(try ensure(in: target, plan: plan, compressed: compressed, expectedSize: nil) {
                    (temporary: String) throws(SymbolStoreError) in
                    try AtomicFileWriter.copy(source, to: temporary)
                    counter.update { $0.copies += 1 }
                    counter.stored(LocalFileSystem.status(temporary)?.size ?? 0)
                })
            } catch {
                counter.update { $0.failedWrites += 1 }
                logger.warning("cache \(target.root) skipped for \(plan.request): \(error.detail)")
            }
        }
        return copies
    }

    /// Gives the stores that want pointers the `file.ptr` a file was found through, unless they hold the pointer
    /// or the file already: a copy of a local pointer, or, for one an HTTP store sent, `PATH:` and its target.
    private func copyPointer(_ pointerPath: String, target: String, plan: CopyPlan) {
        for store in plan.pointerTargets where !plan.isOrigin(store) {
            let destination = store.destination(
                name: plan.storedName, key: plan.storedKey, fileName: FilePointer.fileName, variant: .plain)
            do throws(SymbolStoreError) {
                try turns.withTurn(destination) { () throws(SymbolStoreError) in
                    guard !LocalFileSystem.isRegularFile(destination), plainCopy(in: store, plan: plan) == nil else {
                        return
                    }
                    try AtomicFileWriter.write(destination, expectedSize: nil) {
                        (temporary: String) throws(SymbolStoreError) in
                        if plan.symbol.origin.remote == nil {
                            try AtomicFileWriter.copy(pointerPath, to: temporary)
                        } else {
                            try AtomicFileWriter.writeBytes(Array("PATH:\(target)".utf8), to: temporary)
                        }
                    }
                    counter.update { $0.copies += 1 }
                }
            } catch {
                counter.update { $0.failedWrites += 1 }
                logger.warning("store \(store.root) skipped for \(plan.request)'s pointer: \(error.detail)")
            }
        }
    }

    /// Decompresses a CAB or ZIP once into the leftmost writable target (the default downstream store when there
    /// is none), keeps compressed copies in the other targets, and opens the decompressed file. A corrupt archive,
    /// or one holding another file than the key names, fails at once and leaves nothing; when no target can be
    /// written the last write error (no space, permission, …) is thrown.
    private func serveDecompressed(
        _ archive: CompressedArchive, at archivePath: String, plan: CopyPlan
    ) throws(SymbolStoreError) -> OpenedSymbolFile {
        let candidates = plan.targets.isEmpty ? [graph.defaultStore] : plan.targets
        var opened: String?
        var chosen: LocalSymbolStore?
        var lastError: SymbolStoreError?
        for target in candidates {
            do throws(SymbolStoreError) {
                opened = try ensure(in: target, plan: plan, compressed: false, expectedSize: archive.uncompressedSize) {
                    (temporary: String) throws(SymbolStoreError) in
                    try extract(archive, to: temporary, request: plan.request, shown: archivePath)
                }
                chosen = target
                break
            } catch {
                counter.update { $0.failedWrites += 1 }
                if error.kind == .corruptArchive || error.kind == .contentRejected { throw error }
                logger.warning("cache \(target.root) skipped for \(plan.request): \(error.detail)")
                lastError = error
            }
        }
        guard let opened, let chosen else {
            throw lastError ?? SymbolStoreError(.internal, "\(archivePath): nowhere to decompress")
        }
        copy(archivePath, into: plan.targets.filter { $0 !== chosen && !plan.isOrigin($0) }, plan: plan,
             compressed: true)
        return try LocalFileSystem.openReadOnly(opened)
    }

    /// Decompresses `archive` into `temporary` and checks that what came out carries the request's key. When the
    /// archive is at fault (corrupt, or holding another file) the error says so: no other cache would fare better.
    func extract(
        _ archive: CompressedArchive, to temporary: String, request: SymbolRequest, shown: String
    ) throws(SymbolStoreError) {
        do throws(ArchiveError) {
            try archive.extract(to: temporary)
            counter.update { $0.decompressions += 1 }
            counter.stored(LocalFileSystem.status(temporary)?.size ?? 0)
        } catch {
            throw SymbolStoreError(error)
        }
        if let mismatch = ContentCheck.mismatch(path: temporary, request: request) {
            throw SymbolStoreError(.contentRejected, "\(shown): \(mismatch)")
        }
    }

    /// The path of the file in `target`, writing it with `produce` unless it is there already. One turn per
    /// destination with a recheck in it, so concurrent opens do the work once.
    func ensure(
        in target: LocalSymbolStore, plan: CopyPlan, compressed: Bool, expectedSize: UInt64?,
        produce: (String) throws(SymbolStoreError) -> Void
    ) throws(SymbolStoreError) -> String {
        let fileName = compressed ? StoreComponent.compressedName(plan.storedName) : plan.storedName
        let destination = target.destination(
            name: plan.storedName, key: plan.storedKey, fileName: fileName, variant: plan.request.variant)
        return try turns.withTurn(destination) { () throws(SymbolStoreError) -> String in
            if compressed {
                if LocalFileSystem.isRegularFile(destination) { return destination }
            } else if let existing = plainCopy(in: target, plan: plan) {
                return existing
            }
            try AtomicFileWriter.write(destination, expectedSize: expectedSize, produce: produce)
            return destination
        }
    }

    /// A complete copy already in `target`: under the spelling the plan stores, or as asked (each looked up once).
    func plainCopy(in target: LocalSymbolStore, plan: CopyPlan) -> String? {
        let request = plan.request
        let stored = SymbolRequest(name: plan.storedName, key: plan.storedKey, variant: request.variant)
        return target.plainCopy(of: stored) ?? (stored == request ? nil : target.plainCopy(of: request))
    }
}
