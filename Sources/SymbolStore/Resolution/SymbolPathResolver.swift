import Logging
import SymbolHTTP
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Resolves files down a symbol path the way SymSrv and DbgHelp do (spec §1.1, §2, §3.1): elements are searched
/// left to right and the first that has the file wins. What a lookup found is a `ResolvedSymbol` holding its store;
/// `open` makes it readable: local files through the `CacheFiller` (copies into the caches left of it, archives
/// decompressed once), remote ones through the `DownloadManager`. An answer that no longer holds when it is opened
/// (the file was removed, its download was rejected) is resolved again at once, so the next store is tried.
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
        /// How long a resolution that asked a server is remembered, for every caller.
        public var lookupMemory: Duration
        /// Makes the store for each server URL of the path; by default an `HTTPSymbolStore` on `httpClient`.
        package var remoteStore: RemoteStoreFactory?
        package var downloadSettings: DownloadSettings

        public init(
            caseInsensitive: Bool = true, allowedPointerRoots: [String]? = nil,
            logger: Logger = Logger(label: "symfs.stores"), httpClient: HTTPClient? = nil,
            httpStoreSettings: HTTPStoreSettings = HTTPStoreSettings(), lookupMemory: Duration = .seconds(10)
        ) {
            self.caseInsensitive = caseInsensitive
            self.allowedPointerRoots = allowedPointerRoots
            self.logger = logger
            self.httpClient = httpClient
            self.httpStoreSettings = httpStoreSettings
            self.lookupMemory = lookupMemory
            downloadSettings = DownloadSettings()
        }
    }

    public let symbolPath: SymbolPath
    public let defaultDownstreamStore: String
    /// The client of the path's HTTP stores; nil when it has none.
    public let httpClient: HTTPClient?
    let graph: StoreGraph
    /// Every store of every element, in path order.
    let allStores: [any SymbolStoreBackend]
    let storeOptions: StoreOptions
    let counter = StatisticsCounter()
    let filler: CacheFiller
    let downloads: DownloadManager
    private let lookups: SharedLookups

    /// What `open` has done so far.
    public var statistics: ResolverStatistics { counter.snapshot }
    public var statisticsText: String { counter.snapshot.text }

    /// The leftmost cache of the path, where fetched files land (what `--cache-max-size` bounds).
    package var landingCache: String { graph.landingCache }

    /// Calls `observer` with the size of each file that lands in a cache of the path from now on.
    package func observeStoredFiles(_ observer: @escaping @Sendable (UInt64) -> Void) {
        counter.observeStored(observer)
    }
    var logger: Logger { storeOptions.logger }

    /// Nothing is read from disk here: stores are probed when asked.
    public init(symbolPath: SymbolPath, defaultDownstreamStore: String, options: Options = Options()) {
        self.symbolPath = symbolPath
        self.defaultDownstreamStore = defaultDownstreamStore
        let storeOptions = StoreOptions(
            caseInsensitive: options.caseInsensitive, allowedPointerRoots: options.allowedPointerRoots,
            logger: options.logger)
        self.storeOptions = storeOptions
        let hasHTTP = symbolPath.expanded(defaultDownstream: defaultDownstreamStore).elements.contains {
            if case .server(let locations) = $0 { return locations.contains(where: \.isHTTP) }
            return false
        }
        let client = hasHTTP && options.remoteStore == nil
            ? (options.httpClient ?? HTTPClient(logger: options.logger)) : nil
        httpClient = client
        let settings = options.httpStoreSettings
        let remoteStore = options.remoteStore ?? { url, storeOptions in
            client.map { HTTPSymbolStore(baseURL: url, client: $0, options: storeOptions, settings: settings) }
        }
        graph = StoreGraph(
            symbolPath: symbolPath, defaultDownstreamStore: defaultDownstreamStore, options: storeOptions,
            remoteStore: remoteStore)
        allStores = graph.stores.map(\.store)
        filler = CacheFiller(graph: graph, counter: counter, logger: options.logger)
        downloads = DownloadManager(
            graph: graph, filler: filler, settings: options.downloadSettings, clock: settings.clock)
        lookups = SharedLookups(
            memory: options.lookupMemory, clock: settings.clock, caseInsensitive: options.caseInsensitive)
    }

    /// Whether some element of the path is an HTTP store.
    public var hasRemoteStores: Bool { graph.hasRemoteStores }

    // MARK: Lookup

    /// The first store down the path that has the file, found once however many threads ask at the same time.
    /// A local store's error ends the search (its content is broken); a remote store that fails (timeout, reset,
    /// 5xx, blackout) is skipped, as SymSrv skips stores it cannot read, and later stores are asked. The first
    /// such failure is thrown only when no later store has the file, so a front end answers with an error rather
    /// than a cacheable miss while a server is down.
    public func locate(_ request: SymbolRequest) throws(SymbolStoreError) -> ResolvedSymbol? {
        guard StoreComponent.isListable(request.name), StoreComponent.isListable(request.key) else { return nil }
        let found = try lookups.lookup(request) { () throws(SymbolStoreError) in try search(request) }
        if let found, case .remote(let file) = found.form, downloads.rejected.contains(file.url) {
            // Remembered before a download of it was rejected.
            lookups.forget(request)
            return try lookups.lookup(request) { () throws(SymbolStoreError) in try search(request) }
        }
        return found
    }

    private func search(_ request: SymbolRequest) throws(SymbolStoreError) -> SharedLookups.Resolution {
        var upstreamFailure: SymbolStoreError?
        var askedServer = false
        for placed in graph.stores {
            let found: StoreHit?
            if placed.remote != nil {
                askedServer = true
                do throws(SymbolStoreError) {
                    found = try placed.store.lookup(request)
                } catch {
                    upstreamFailure = upstreamFailure ?? error
                    continue
                }
            } else {
                found = try placed.store.lookup(request)
            }
            guard let hit = found else { continue }
            if case .remote(let file) = hit.form, downloads.rejected.contains(file.url) { continue }
            counter.update { $0.hitsByStore["\(placed.elementIndex).\(placed.tier)", default: 0] += 1 }
            return SharedLookups.Resolution(
                symbol: ResolvedSymbol(request: request, hit: hit, origin: placed), askedServer: askedServer)
        }
        if let upstreamFailure { throw upstreamFailure }
        return SharedLookups.Resolution(symbol: nil, askedServer: askedServer)
    }

    public func holdsLocally(name: String) throws(SymbolStoreError) -> Bool {
        StoreComponent.isListable(name) && graph.stores.contains { $0.remote == nil && $0.store.holds(name: name) }
    }

    public func holdsLocally(name: String, key: String) throws(SymbolStoreError) -> Bool {
        StoreComponent.isListable(name) && StoreComponent.isListable(key)
            && graph.stores.contains { $0.remote == nil && $0.store.holds(name: name, key: key) }
    }

    public func mayHold(name: String) throws(SymbolStoreError) -> Bool {
        StoreComponent.isListable(name) && allStores.contains { $0.holds(name: name) }
    }

    public func mayHold(name: String, key: String) throws(SymbolStoreError) -> Bool {
        StoreComponent.isListable(name) && StoreComponent.isListable(key)
            && allStores.contains { $0.holds(name: name, key: key) }
    }

    // MARK: Listing

    public func names() throws(SymbolStoreError) -> [String] {
        CaseMergedList.merge(allStores.map { $0.names() }, caseInsensitive: storeOptions.caseInsensitive)
    }

    public func keys(of name: String) throws(SymbolStoreError) -> [String] {
        guard StoreComponent.isValid(name) else { return [] }
        return CaseMergedList.merge(allStores.map { $0.keys(of: name) }, caseInsensitive: storeOptions.caseInsensitive)
    }

    public func variants(of name: String, key: String) throws(SymbolStoreError) -> Set<SymbolRequest.Variant> {
        guard StoreComponent.isValid(name), StoreComponent.isValid(key) else { return [] }
        return allStores.reduce(into: []) { $0.formUnion($1.variants(of: name, key: key)) }
    }

    /// One walk of each store, merged.
    public func storedFiles() throws(SymbolStoreError) -> [StoredFile] {
        MergedStoreListings.files(of: allStores.map { $0.listing() }, caseInsensitive: storeOptions.caseInsensitive)
    }

    // MARK: Opening

    /// Opens what a lookup found. When that answer no longer holds (its file is gone, its download was rejected)
    /// the file is resolved again and the fresh answer opened, reported in `OpenedSymbolFile.resolved`.
    public func open(_ symbol: ResolvedSymbol) throws(SymbolStoreError) -> OpenedSymbolFile {
        if stillHolds(symbol) {
            do throws(SymbolStoreError) {
                return try openAsFound(symbol)
            } catch {
                // Gone between the check and the open, or a download rejected while the open waited for it.
                guard error.kind == .notFound || !stillHolds(symbol) else { throw error }
                logger.info("\(symbol.request): \(error.detail); resolving again")
            }
        }
        lookups.forget(symbol.request)
        guard let fresh = try locate(symbol.request) else {
            throw SymbolStoreError(.notFound, "\(symbol.request): no longer on the symbol path")
        }
        var opened = try openAsFound(fresh)
        opened.resolved = fresh
        return opened
    }

    private func openAsFound(_ symbol: ResolvedSymbol) throws(SymbolStoreError) -> OpenedSymbolFile {
        if case .remote(let file) = symbol.form {
            return try downloads.open(file, symbol: symbol)
        }
        let opened = try filler.open(symbol)
        // The use of a cached file (found in a cache, or copied into one) is what prunes judge by; stores of
        // their own (upstreams, plain directories) are left as they are.
        if symbol.origin.role == .cache || symbol.origin.role == .downstream || !symbol.form.isAt(opened.path) {
            UseRecord.recordUse(of: opened.descriptor, now: Int64(time(nil)))
        }
        return opened
    }

    /// Whether what a lookup found is still there to open.
    private func stillHolds(_ symbol: ResolvedSymbol) -> Bool {
        switch symbol.form {
        case .file(let path), .compressed(let path), .pointer(_, let path):
            return LocalFileSystem.isRegularFile(path)
        case .remote(let file):
            return !downloads.rejected.contains(file.url)
        }
    }

    /// Lets downloads in progress finish (at most `seconds`), so a file fully read before an unmount is in the
    /// cache afterwards; returns whether all did.
    @discardableResult
    public func finishDownloads(within seconds: Double) -> Bool {
        downloads.finish(within: seconds)
    }

    /// Removes downloads that daemons no longer running left in the local stores (a crash mid-download).
    public func removeLeftoverDownloads() {
        downloads.removeLeftovers()
    }
}
