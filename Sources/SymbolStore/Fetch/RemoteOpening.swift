import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Opening files that live on HTTP stores: the first open starts one download into the leftmost cache that
/// applies (or the default downstream store) and returns at once; reads wait only for their own bytes.
extension SymbolPathResolver {
    /// Where downloads in progress are written below a store root: one folder per daemon, so a new daemon can
    /// remove what a crashed one left without touching another's live downloads.
    static let downloadFolder = StoreComponent.temporaryPrefix + "downloads"

    func openRemote(_ file: RemoteFile, location: SymbolLocation, plan: CopyPlan) throws(SymbolStoreError)
        -> OpenedSymbolFile {
        let request = location.request
        let target = plan.targets.first ?? defaultStore
        let finalPath = target.destination(
            name: plan.storedName, key: plan.storedKey, fileName: plan.storedName, variant: request.variant)
        if let cached = target.plainCopy(of: request) {
            return try LocalFileSystem.openReadOnly(cached)
        }
        guard let source = fetcher(for: location) else {
            throw SymbolStoreError(.internal, "\(file.url): no HTTP client for \(location.storeRoot)")
        }
        let joined = try downloads.join(finalPath) { () throws(SymbolStoreError) -> RemoteDownload? in
            if target.plainCopy(of: request) != nil { return nil }
            let folder = LocalFileSystem.join(
                LocalFileSystem.join(target.root, Self.downloadFolder), String(getpid()))
            try AtomicFileWriter.makeDirectories(folder)
            let temporary = LocalFileSystem.join(folder, "\(UInt64.random(in: 0...UInt64.max))")
            return try RemoteDownload(
                file: file, request: request, temporaryPath: temporary, finalPath: finalPath, source: source,
                settings: downloadSettings, logger: logger,
                place: { [self] download in place(download, plan: plan, target: target) },
                ended: { [self] download, result in
                    downloads.remove(finalPath, download)
                    counter.update { statistics in
                        if case .success = result {
                            statistics.downloads += 1
                            statistics.bytesDownloaded += download.size
                        } else {
                            statistics.failedDownloads += 1
                        }
                    }
                    // A server that sent a wrong or short file is passed over for a while; a full disk is ours.
                    if case .failure(let error) = result, error.kind != .noSpace {
                        rejectedRemoteFiles.reject(download.file.url)
                    }
                })
        }
        guard let download = joined else {
            guard let cached = target.plainCopy(of: request) else {
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
            descriptor: descriptor, size: location.size, path: finalPath,
            availability: download.isComplete ? nil : download)
    }

    var downloadSettings: RemoteDownload.Settings { RemoteDownload.Settings() }

    /// The HTTP store that found `location`.
    func fetcher(for location: SymbolLocation) -> (any RemoteFetching)? {
        guard elements.indices.contains(location.elementIndex) else { return nil }
        return elements[location.elementIndex].stores.first { $0.root == location.storeRoot } as? any RemoteFetching
    }

    /// Puts a complete, verified download where it belongs: renamed into the leftmost target (decompressed
    /// there when it is a CAB, whose content is checked then), copied into the other stores left of its own
    /// (compressed forms stay compressed there, spec §1.1).
    func place(_ download: RemoteDownload, plan: CopyPlan, target: LocalSymbolStore) -> Result<Void, SymbolStoreError> {
        let request = download.request
        do throws(SymbolStoreError) {
            if download.file.compressed {
                let archive = try CompressedArchive(path: download.temporaryPath)
                try AtomicFileWriter.write(download.finalPath, expectedSize: archive.uncompressedSize) {
                    (temporary: String) throws(SymbolStoreError) in
                    do throws(CompressedArchive.ExtractionFailure) {
                        try archive.extract(to: temporary)
                    } catch {
                        throw error.error
                    }
                    if let mismatch = ContentCheck.mismatch(path: temporary, request: request) {
                        throw SymbolStoreError(.contentRejected, "\(download.file.url): \(mismatch)")
                    }
                }
                counter.update { $0.decompressions += 1 }
            } else {
                try AtomicFileWriter.makeDirectories(LocalFileSystem.parent(download.finalPath))
                guard rename(download.temporaryPath, download.finalPath) == 0 else {
                    throw .posix(errno, "cannot rename a download to", download.finalPath)
                }
            }
        } catch {
            if download.file.compressed { unlink(download.temporaryPath) }
            return .failure(error)
        }
        let source = download.file.compressed ? download.temporaryPath : download.finalPath
        copy(source, into: Array(plan.targets.dropFirst()), plan: plan, compressed: download.file.compressed)
        if download.file.compressed { unlink(download.temporaryPath) }
        return .success(())
    }

    /// Lets downloads in progress finish (at most `seconds`), so a file fully read before an unmount is in the
    /// cache afterwards; returns whether all did.
    @discardableResult
    public func finishDownloads(within seconds: Double) -> Bool {
        downloads.waitUntilIdle(seconds: seconds)
    }

    /// Removes downloads that daemons no longer running left in the local stores (a crash mid-download).
    public func removeLeftoverDownloads() {
        let roots = Set(allStores.compactMap { ($0 as? LocalSymbolStore)?.root } + [defaultStore.root])
        for root in roots {
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
