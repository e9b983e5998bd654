import Logging
import SymbolHTTP

/// A symbol path made ready to serve, with its lifecycle: the HTTP client and the resolver built from a path and
/// its settings, leftovers of stopped daemons removed when it starts, and downloads in progress let finish when
/// it stops. Every front end (the mount, and the server, prefetcher and pruner to come) starts one the same way.
public final class SymbolService: Sendable {
    public struct Configuration: Sendable {
        public var symbolPath: SymbolPath
        public var defaultDownstreamStore: String
        public var caseInsensitive = true
        /// When set, `file.ptr` targets outside these directories are refused.
        public var allowedPointerRoots: [String]?
        public var http = HTTPConfiguration()
        public var httpStores = HTTPStoreSettings()
        package var downloads = DownloadSettings()
        /// When set, the leftmost cache of the path is kept under this many bytes (`CacheBound`).
        public var cacheMaximumBytes: UInt64?
        public var logger = Logger(label: "symfs")

        public init(symbolPath: SymbolPath, defaultDownstreamStore: String) {
            self.symbolPath = symbolPath
            self.defaultDownstreamStore = defaultDownstreamStore
        }
    }

    public let configuration: Configuration
    public let resolver: SymbolPathResolver
    package let cacheBound: CacheBound?

    /// Builds the resolver (reading nothing from disk) and removes the downloads that daemons no longer running
    /// left in the path's stores.
    public init(_ configuration: Configuration) {
        self.configuration = configuration
        var options = SymbolPathResolver.Options(
            caseInsensitive: configuration.caseInsensitive,
            allowedPointerRoots: configuration.allowedPointerRoots, logger: configuration.logger,
            httpClient: HTTPClient(configuration: configuration.http, logger: configuration.logger),
            httpStoreSettings: configuration.httpStores)
        options.downloadSettings = configuration.downloads
        resolver = SymbolPathResolver(
            symbolPath: configuration.symbolPath, defaultDownstreamStore: configuration.defaultDownstreamStore,
            options: options)
        resolver.removeLeftoverDownloads()
        if let maximum = configuration.cacheMaximumBytes {
            let bound = CacheBound(root: resolver.landingCache, maximum: maximum, logger: configuration.logger)
            resolver.observeStoredFiles { bound.stored($0) }
            cacheBound = bound
        } else {
            cacheBound = nil
        }
    }

    /// Starts the service's threads of its own (the cache bound's pruner). A daemon calls it once it has
    /// detached, since a fork keeps only the calling thread.
    public func startBackgroundWork() {
        cacheBound?.start()
    }

    /// Lets downloads in progress finish, at most `seconds`, so a file read whole before the stop is in its cache
    /// afterwards; returns whether all did (the others restart on their next open).
    @discardableResult
    public func stop(within seconds: Double) -> Bool {
        cacheBound?.stop()
        return resolver.finishDownloads(within: seconds)
    }
}
