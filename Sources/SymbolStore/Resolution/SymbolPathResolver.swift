import Logging
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Resolves files down a symbol path the way SymSrv and DbgHelp do, over local stores (spec §1.1, §2, §3.1):
/// elements are searched left to right and the first that has the file wins; a hit is copied into every
/// `cache*` left of its element and every store left of it in its `srv*` chain, compressed files are served
/// decompressed from the leftmost of those (or from the default downstream store), and the file is opened from
/// the leftmost copy. HTTP stores (`HTTPSymbolStore`) are probed in their place in the path; a failing one is
/// skipped like a store SymSrv cannot read (see `locate`), and their hits are `.remote` locations.
public final class SymbolPathResolver: SymbolSource {
    public struct Options: Sendable {
        /// Match names and keys in any case (spec §2.7).
        public var caseInsensitive: Bool
        /// When set, `file.ptr` targets outside these directories are refused.
        public var allowedPointerRoots: [String]?
        public var logger: Logger
        /// The client every HTTP store of the path shares (one transfer thread, one connection pool). When nil,
        /// the resolver makes one with the default configuration, and only if the path has HTTP stores.
        public var httpClient: HTTPClient?
        /// Negative cache and blackout settings of the HTTP stores.
        public var httpStoreSettings: HTTPStoreSettings

        public init(
            caseInsensitive: Bool = true, allowedPointerRoots: [String]? = nil,
            logger: Logger = Logger(label: "symfs.stores"), httpClient: HTTPClient? = nil,
            httpStoreSettings: HTTPStoreSettings = HTTPStoreSettings()
        ) {
            self.caseInsensitive = caseInsensitive
            self.allowedPointerRoots = allowedPointerRoots
            self.logger = logger
            self.httpClient = httpClient
            self.httpStoreSettings = httpStoreSettings
        }
    }

    public let symbolPath: SymbolPath
    public let defaultDownstreamStore: String
    /// The client of the path's HTTP stores; nil when it has none.
    public let httpClient: HTTPClient?
    let elements: [ResolvedElement]
    /// Every store of every element, in path order.
    let allStores: [any SymbolStoreBackend]
    let storeOptions: StoreOptions
    let defaultStore: LocalSymbolStore
    private let locks = KeyedLocks()
    let counter = StatisticsCounter()
    let downloads = DownloadRegistry()
    let rejectedRemoteFiles = RejectedRemoteFiles()

    /// What `open` has done so far.
    public var statistics: ResolverStatistics { counter.snapshot }
    public var statisticsText: String { counter.snapshot.text }
    var logger: Logger { storeOptions.logger }

    /// Nothing is read from disk here: stores are probed when asked.
    public init(symbolPath: SymbolPath, defaultDownstreamStore: String, options: Options = Options()) {
        self.symbolPath = symbolPath
        self.defaultDownstreamStore = defaultDownstreamStore
        let storeOptions = StoreOptions(
            caseInsensitive: options.caseInsensitive, allowedPointerRoots: options.allowedPointerRoots,
            logger: options.logger)
        self.storeOptions = storeOptions
        defaultStore = LocalSymbolStore(root: defaultDownstreamStore, options: storeOptions)
        let expanded = symbolPath.expanded(defaultDownstream: defaultDownstreamStore).elements
        let hasHTTP = expanded.contains {
            if case .server(let locations) = $0 { return locations.contains(where: \.isHTTP) }
            return false
        }
        let client = hasHTTP ? (options.httpClient ?? HTTPClient(logger: options.logger)) : nil
        httpClient = client
        let remote = client.map { (client: $0, settings: options.httpStoreSettings) }
        elements = expanded.map { element in
            switch element {
            case .directory(let path):
                return .directory(PlainDirectory(root: path, options: storeOptions))
            case .cache(let location):
                return .cache(LocalSymbolStore(root: location.token, options: storeOptions))
            case .server(let locations):
                return .server(locations.compactMap { Self.makeStore($0, options: storeOptions, remote: remote) })
            }
        }
        allStores = elements.flatMap(\.stores)
    }

    /// The store for one location of a `srv*` chain; nil for an HTTP location when no client was given.
    static func makeStore(
        _ location: StoreLocation, options: StoreOptions,
        remote: (client: HTTPClient, settings: HTTPStoreSettings)? = nil
    ) -> (any SymbolStoreBackend)? {
        switch location {
        case .local(let path):
            return LocalSymbolStore(root: path, options: options)
        case .defaultDownstream:
            return nil  // expanded before this is called
        case .http(let url):
            guard let remote else {
                options.logger.debug("\(url): no HTTP client; skipped")
                return nil
            }
            return HTTPSymbolStore(baseURL: url, client: remote.client, options: options, settings: remote.settings)
        }
    }

    /// Whether some element of the path is an HTTP store.
    public var hasRemoteStores: Bool {
        allStores.contains { $0 is HTTPSymbolStore }
    }

    // MARK: Lookup

    /// The first store down the path that has the file. A local store's error ends the search (its content is
    /// broken); an HTTP store that fails (timeout, reset, 5xx, blackout) is skipped, as SymSrv skips stores it
    /// cannot read, and later stores are asked. The first such failure is thrown only when no later store has
    /// the file, so the file system answers EIO/ETIMEDOUT rather than a cacheable ENOENT while a server is down.
    public func locate(_ request: SymbolRequest) throws(SymbolSourceError) -> SymbolLocation? {
        guard StoreComponent.isListable(request.name), StoreComponent.isListable(request.key) else { return nil }
        var remoteFailure: SymbolSourceError?
        for (index, element) in elements.enumerated() {
            for (tier, store) in element.stores.enumerated() {
                let found: StoreHit?
                if store is HTTPSymbolStore {
                    do throws(SymbolSourceError) {
                        found = try store.lookup(request)
                    } catch {
                        remoteFailure = remoteFailure ?? error
                        continue
                    }
                } else {
                    found = try store.lookup(request)
                }
                guard let hit = found else { continue }
                if case .remote(let file) = hit.form, rejectedRemoteFiles.contains(file.url) { continue }
                counter.update { $0.hitsByStore["\(index).\(tier)", default: 0] += 1 }
                return SymbolLocation(
                    request: request, form: hit.form, size: hit.size, modificationTime: hit.modificationTime,
                    elementIndex: index, storeRoot: store.root, spelling: hit.spelling)
            }
        }
        if let remoteFailure { throw remoteFailure }
        return nil
    }

    public func mayHold(name: String) throws(SymbolSourceError) -> Bool {
        StoreComponent.isListable(name) && allStores.contains { $0.holds(name: name) }
    }

    public func mayHold(name: String, key: String) throws(SymbolSourceError) -> Bool {
        StoreComponent.isListable(name) && StoreComponent.isListable(key)
            && allStores.contains { $0.holds(name: name, key: key) }
    }

    // MARK: Listing

    public func names() throws(SymbolSourceError) -> [String] {
        CaseMergedList.merge(allStores.map { $0.names() }, caseInsensitive: storeOptions.caseInsensitive)
    }

    public func keys(of name: String) throws(SymbolSourceError) -> [String] {
        guard StoreComponent.isValid(name) else { return [] }
        return CaseMergedList.merge(allStores.map { $0.keys(of: name) }, caseInsensitive: storeOptions.caseInsensitive)
    }

    public func variants(of name: String, key: String) throws(SymbolSourceError) -> Set<SymbolRequest.Variant> {
        guard StoreComponent.isValid(name), StoreComponent.isValid(key) else { return [] }
        return allStores.reduce(into: []) { $0.formUnion($1.variants(of: name, key: key)) }
    }

    /// One walk of each store, merged.
    public func storedFiles() throws(SymbolSourceError) -> [StoredFile] {
        MergedStoreListings.files(of: allStores.map { $0.listing() }, caseInsensitive: storeOptions.caseInsensitive)
    }

    // MARK: Opening

    public func open(_ location: SymbolLocation) throws(SymbolSourceError) -> OpenedSymbolFile {
        guard elements.indices.contains(location.elementIndex) else {
            throw SymbolSourceError(errno: EINVAL, message: "\(location.request): no element \(location.elementIndex)")
        }
        let plan = CopyPlan(location: location, element: elements[location.elementIndex], resolver: self)
        switch location.form {
        case .file(let path):
            return try serveCopies(of: path, plan: plan)
        case .compressed(let path):
            return try serveDecompressed(try CompressedArchive(path: path), at: path, plan: plan)
        case .pointer(let pointerPath, let target):
            copyPointer(pointerPath, plan: plan)
            // As the lookup judged it (LocalSymbolStore.hit): decompressed only when it reads as an archive.
            if CompressedArchive.hasMagic(target), let archive = try? CompressedArchive(path: target) {
                return try serveDecompressed(archive, at: target, plan: plan)
            }
            return try serveCopies(of: target, plan: plan)
        case .remote(let file):
            return try openRemote(file, location: location, plan: plan)
        }
    }

    /// The caches left of `elementIndex`, in path order.
    func caches(leftOf elementIndex: Int) -> [LocalSymbolStore] {
        elements[..<elementIndex].compactMap {
            if case .cache(let store) = $0 { return store }
            return nil
        }
    }

    /// Copies a plain file into every target (a target that cannot be written is skipped, as SymSrv skips
    /// stores it cannot write) and opens the leftmost copy, or the file itself when no copy was made.
    private func serveCopies(of source: String, plan: CopyPlan) throws(SymbolSourceError) -> OpenedSymbolFile {
        let copies = copy(source, into: plan.targets.filter { $0.root != plan.location.storeRoot }, plan: plan,
                          compressed: false)
        return try LocalFileSystem.openReadOnly(copies.first ?? source)
    }

    /// Copies `source` into each target that does not hold it yet, as `name` or (`compressed`) `name_`; a target
    /// that cannot be written is skipped and logged. Returns the copies made or found, in target order.
    @discardableResult
    func copy(_ source: String, into targets: [LocalSymbolStore], plan: CopyPlan, compressed: Bool) -> [String] {
        var copies: [String] = []
        for target in targets {
            do throws(SymbolSourceError) {
                copies.append(try ensure(in: target, plan: plan, compressed: compressed, expectedSize: nil) {
                    (temporary: String) throws(SymbolSourceError) in
                    try AtomicFileWriter.copy(source, to: temporary)
                    counter.update { $0.copies += 1 }
                })
            } catch {
                counter.update { $0.failedWrites += 1 }
                logger.warning("cache \(target.root) skipped for \(plan.location.request): \(error.message)")
            }
        }
        return copies
    }

    /// Copies the `file.ptr` a file was found through into the stores that want pointers, unless they hold the
    /// pointer or the file already; a store that cannot be written is skipped and logged.
    private func copyPointer(_ pointerPath: String, plan: CopyPlan) {
        for target in plan.pointerTargets where target.root != plan.location.storeRoot {
            let destination = target.destination(
                name: plan.storedName, key: plan.storedKey, fileName: FilePointer.fileName, variant: .plain)
            do throws(SymbolSourceError) {
                try locks.withLock(destination) { () throws(SymbolSourceError) in
                    guard !LocalFileSystem.isRegularFile(destination), plainCopy(in: target, plan: plan) == nil else { return }
                    try AtomicFileWriter.write(destination, expectedSize: nil) { (temporary: String) throws(SymbolSourceError) in
                        try AtomicFileWriter.copy(pointerPath, to: temporary)
                    }
                    counter.update { $0.copies += 1 }
                }
            } catch {
                counter.update { $0.failedWrites += 1 }
                logger.warning("store \(target.root) skipped for \(plan.location.request)'s pointer: \(error.message)")
            }
        }
    }

    /// Decompresses a CAB or ZIP once into the leftmost writable target (the default downstream store when there is
    /// none), keeps compressed copies in the other targets (spec §1.1 "Cascading details"), and opens the
    /// decompressed file. A corrupt archive, or one holding another file than the key names, fails at once with
    /// EIO and leaves nothing; when no target can be written the last write error (ENOSPC, EACCES, …) is thrown.
    private func serveDecompressed(
        _ archive: CompressedArchive, at archivePath: String, plan: CopyPlan
    ) throws(SymbolSourceError) -> OpenedSymbolFile {
        let candidates = plan.targets.isEmpty ? [defaultStore] : plan.targets
        var opened: String?
        var chosen: LocalSymbolStore?
        var lastError: SymbolSourceError?
        for target in candidates {
            var corrupt = false
            do throws(SymbolSourceError) {
                opened = try ensure(in: target, plan: plan, compressed: false, expectedSize: archive.uncompressedSize) {
                    (temporary: String) throws(SymbolSourceError) in
                    do throws(CompressedArchive.ExtractionFailure) {
                        try archive.extract(to: temporary)
                        counter.update { $0.decompressions += 1 }
                    } catch {
                        if case .corrupt = error { corrupt = true }
                        throw error.error
                    }
                    if let mismatch = ContentCheck.mismatch(path: temporary, request: plan.location.request) {
                        corrupt = true
                        throw SymbolSourceError(errno: EIO, message: "\(archivePath): \(mismatch)")
                    }
                }
                chosen = target
                break
            } catch {
                counter.update { $0.failedWrites += 1 }
                if corrupt { throw error }
                logger.warning("cache \(target.root) skipped for \(plan.location.request): \(error.message)")
                lastError = error
            }
        }
        guard let opened, let chosen else {
            throw lastError ?? SymbolSourceError(errno: EIO, message: "\(archivePath): nowhere to decompress")
        }
        copy(archivePath, into: plan.targets.filter { $0 !== chosen && $0.root != plan.location.storeRoot },
             plan: plan, compressed: true)
        return try LocalFileSystem.openReadOnly(opened)
    }

    /// The path of the file in `target`, writing it with `produce` unless it is there already. One lock per
    /// destination with a recheck under it, so concurrent opens do the work once.
    func ensure(
        in target: LocalSymbolStore, plan: CopyPlan, compressed: Bool, expectedSize: UInt64?,
        produce: (String) throws(SymbolSourceError) -> Void
    ) throws(SymbolSourceError) -> String {
        let request = plan.location.request
        let fileName = compressed ? StoreComponent.compressedName(plan.storedName) : plan.storedName
        let destination = target.destination(
            name: plan.storedName, key: plan.storedKey, fileName: fileName, variant: request.variant)
        return try locks.withLock(destination) { () throws(SymbolSourceError) -> String in
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
    private func plainCopy(in target: LocalSymbolStore, plan: CopyPlan) -> String? {
        let request = plan.location.request
        let stored = SymbolRequest(name: plan.storedName, key: plan.storedKey, variant: request.variant)
        return target.plainCopy(of: stored) ?? (stored == request ? nil : target.plainCopy(of: request))
    }
}
