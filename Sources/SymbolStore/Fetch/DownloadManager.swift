import Logging
import SymbolFormats
import SystemSupport
#if canImport(Glibc)
import Glibc
#endif

/// Opens files that live on remote stores: the first open starts one download into the leftmost copy target (or
/// the default downstream store) and returns at once; reads wait only for their own bytes. A download whose
/// content is rejected marks its URL, so the next resolution passes over that server for a while.
final class DownloadManager: Sendable {
    /// Where downloads in progress are written below a store root: one folder per daemon, so a new daemon can
    /// remove what a crashed one left without touching another's live downloads.
    static let downloadFolder = StoreComponent.temporaryPrefix + "downloads"

    let graph: StoreGraph
    let filler: CacheFiller
    let settings: DownloadSettings
    let rejected: RejectedRemoteFiles
    private let registry: DownloadRegistry
    private let extraWorkers: ThreadBudget
    private var counter: StatisticsCounter { filler.counter }
    private var logger: Logger { filler.logger }

    init(graph: StoreGraph, filler: CacheFiller, settings: DownloadSettings, clock: any TimeSource) {
        self.graph = graph
        self.filler = filler
        self.settings = settings
        rejected = RejectedRemoteFiles(clock: clock)
        registry = DownloadRegistry(maximumDownloads: settings.maximumDownloads, slotWait: settings.slotWait)
        extraWorkers = ThreadBudget(settings.sharedExtraWorkers)
    }

    func open(_ file: RemoteFile, symbol: ResolvedSymbol) throws(SymbolStoreError) -> OpenedSymbolFile {
        guard let source = symbol.origin.remote else {
            throw SymbolStoreError(.internal, "\(file.url): \(symbol.storeRoot) fetches nothing")
        }
        let plan = CopyPlan(symbol: symbol, graph: graph)
        let target = plan.targets.first ?? graph.defaultStore
        let request = symbol.request
        let finalPath = target.destination(
            name: plan.storedName, key: plan.storedKey, fileName: plan.storedName, variant: request.variant)
        if let cached = filler.plainCopy(in: target, plan: plan) {
            return try LocalFileSystem.openReadOnly(cached)
        }
        let joined = try registry.join(finalPath) { () throws(SymbolStoreError) -> RemoteDownload? in
            if filler.plainCopy(in: target, plan: plan) != nil { return nil }
            // An open that waited for a download that failed does not start it again.
            if rejected.contains(file.url) {
                throw SymbolStoreError(.contentRejected, "\(file.url): rejected by a download just now")
            }
            let folder = LocalFileSystem.join(
                LocalFileSystem.join(target.root, Self.downloadFolder), String(getpid()))
            try AtomicFileWriter.makeDirectories(folder)
            let temporary = LocalFileSystem.join(folder, "\(UInt64.random(in: 0...UInt64.max))")
            return try RemoteDownload(
                file: file, request: request, temporaryPath: temporary, finalPath: finalPath, source: source,
                settings: settings, extraWorkers: extraWorkers, logger: logger,
                place: { [self] download in place(download, plan: plan) },
                ended: { [self] download, result in ended(download, result: result) })
        }
        guard let download = joined else {
            guard let cached = filler.plainCopy(in: target, plan: plan) else {
                throw SymbolStoreError(.notFound, "\(finalPath): gone from the cache")
            }
            return try LocalFileSystem.openReadOnly(cached)
        }
        if file.compressed {
            try download.waitUntilComplete()
            return try LocalFileSystem.openReadOnly(finalPath)
        }
        let descriptor = try download.openReader()
        return OpenedSymbolFile(
            descriptor: descriptor, size: symbol.size, path: finalPath,
            availability: download.isComplete ? nil : download)
    }

    private func ended(_ download: RemoteDownload, result: Result<Void, SymbolStoreError>) {
        counter.update { statistics in
            if case .success = result {
                statistics.downloads += 1
                statistics.bytesDownloaded += download.size
            } else {
                statistics.failedDownloads += 1
            }
        }
        if case .success = result { counter.stored(download.size) }
        // A server that sent a wrong, short or unusable file is passed over for a while; a stall or a broken
        // connection may pass (the server's blackout rule counts those), and a full disk is ours.
        if case .failure(let error) = result, Self.rejectsTheFile(error) {
            rejected.reject(download.file.url)
        }
        // Last: waiting for downloads to finish sees their counts and rejections.
        registry.remove(download.finalPath, download)
    }

    private static func rejectsTheFile(_ error: SymbolStoreError) -> Bool {
        switch error.kind {
        case .contentRejected, .corruptArchive, .upstreamUnavailable(.status): return true
        default: return false
        }
    }

    /// Puts a complete, verified download where it belongs: renamed into the leftmost target (decompressed there
    /// when it is an archive, whose content is checked then), copied into the other stores left of its own
    /// (compressed forms stay compressed there, spec §1.1).
    private func place(_ download: RemoteDownload, plan: CopyPlan) -> Result<Void, SymbolStoreError> {
        let compressed = download.file.compressed
        do throws(SymbolStoreError) {
            if compressed {
                let archive = try CompressedArchive.reading(download.temporaryPath)
                try AtomicFileWriter.write(download.finalPath, expectedSize: archive.uncompressedSize) {
                    (temporary: String) throws(SymbolStoreError) in
                    try filler.extract(archive, to: temporary, request: download.request, shown: download.file.url)
                }
            } else {
                try AtomicFileWriter.renameCreatingDirectories(download.temporaryPath, to: download.finalPath)
            }
        } catch {
            if compressed { unlink(download.temporaryPath) }
            return .failure(error)
        }
        let source = compressed ? download.temporaryPath : download.finalPath
        filler.copy(source, into: Array(plan.targets.dropFirst()), plan: plan, compressed: compressed)
        if compressed { unlink(download.temporaryPath) }
        return .success(())
    }

    /// Lets downloads in progress finish (at most `seconds`), so a file fully read before an unmount is in the
    /// cache afterwards; returns whether all did.
    func finish(within seconds: Double) -> Bool {
        registry.waitUntilIdle(seconds: seconds)
    }

    /// Removes downloads that daemons no longer running left in the local stores (a crash mid-download).
    func removeLeftovers() {
        for root in graph.localRoots {
            let folder = LocalFileSystem.join(root, Self.downloadFolder)
            for entry in LocalFileSystem.entries(of: folder) ?? [] {
                guard let pid = Int32(entry), ProcessLiveness.hasExited(pid) else { continue }
                let daemonFolder = LocalFileSystem.join(folder, entry)
                for file in LocalFileSystem.entries(of: daemonFolder) ?? [] {
                    unlink(LocalFileSystem.join(daemonFolder, file))
                }
                rmdir(daemonFolder)
                logger.info("removed downloads a stopped daemon left", metadata: ["folder": "\(daemonFolder)"])
            }
        }
    }
}
