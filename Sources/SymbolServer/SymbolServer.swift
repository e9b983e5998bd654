import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import SymbolStore

/// `symfs serve`: the symbol path as an HTTP symbol server on Hummingbird (SwiftNIO). Event loops only move
/// bytes; the store core's blocking calls run on a bounded pool (`BlockingWork`). SIGTERM and SIGINT stop it
/// gracefully: the listener closes, responses under way finish, downloads are let finish into their caches.
package struct SymbolServer: Sendable {
    package struct Configuration: Sendable {
        package var host = "127.0.0.1"
        package var port = 8089
        /// Threads for lookups, opens and reads (each waits at most a lookup deadline or a stall timeout).
        package var blockingThreads = 32
        /// Connections served at once; one more is answered 503 and closed.
        package var maximumConnections = 1024
        /// Seconds a connection may stay idle (a slow or silent client included) before it is closed.
        package var idleTimeout = 30
        /// Seconds responses under way may go on after SIGTERM or SIGINT.
        package var stopTimeout = 5
        /// Largest request header section.
        package var maximumHeaderBytes = 16 * 1024
        package var responder = SymbolResponder.Settings()

        package init() {}
    }

    /// Connections past the limit that may be open at once while they get their 503.
    static let refusalSockets = 256

    let configuration: Configuration
    let service: SymbolService
    let metrics = ServerMetrics()

    package init(configuration: Configuration, service: SymbolService) {
        self.configuration = configuration
        self.service = service
    }

    /// Serves until a signal stops it; `started` is called with the port once it listens.
    package func run(started: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let blocking = BlockingWork(threads: configuration.blockingThreads)
        let responder = SymbolResponder(
            resolver: service.resolver, blocking: blocking, metrics: metrics, settings: configuration.responder)
        let logger = configuration.responder.logger
        let limit = ConnectionLimit(maximum: configuration.maximumConnections)
        let idleTimeout = Int64(configuration.idleTimeout)
        let maximumHeaderBytes = configuration.maximumHeaderBytes
        let server = HTTPServerBuilder { respond in
            SymbolHTTPChannel(
                responder: respond, limit: limit, idleTimeout: idleTimeout, maximumHeaderBytes: maximumHeaderBytes)
        }
        let application = Application(
            responder: responder,
            server: server,
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: nil,
                // Past this many sockets, accepting pauses: refusals beyond the limit cost a socket each too.
                availableConnectionsDelegate: MaximumAvailableConnections(
                    configuration.maximumConnections + Self.refusalSockets)),
            onServerRunning: { channel in await started(channel.localAddress?.port ?? 0) },
            logger: logger)
        var groupConfiguration = ServiceGroupConfiguration(
            services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // Responses still being sent this long after a stop is asked are cut: a slow client never holds the
        // server past a service manager's stop timeout. Downloads into the caches finish on their own (below).
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(configuration.stopTimeout)
        groupConfiguration.maximumCancellationDuration = .seconds(2)
        let group = ServiceGroup(configuration: groupConfiguration)
        defer { service.stop(within: 10) }
        try await group.run()
        await blocking.shutdown()
    }
}
