import ArgumentParser
import Logging
import SymbolServer
import SymbolStore
#if canImport(Glibc)
import Glibc
#endif

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a symbol path over HTTP as a symbol server (what SymProxy does).",
        discussion: """
            GET and HEAD /name/KEY/name answer with the file, found down the symbol path as the mount finds it \
            (the same caches filled, the same key checks), names and keys in any case; name_ files are served \
            decompressed, /name/KEY/name_ gives a store's CAB as it is, file.ptr is followed on the server. A \
            miss is 404, a failing server 502, one too slow for the lookup deadline 504. /pingme.txt, /healthz \
            and /metrics (Prometheus) are the server's own. SIGTERM or SIGINT stop it gracefully.
            """
    )

    @OptionGroup var symbolPathOptions: SymbolPathOptions

    @Option(help: "The address and port to listen on (loopback unless told otherwise).")
    var listen = "127.0.0.1:8089"

    @Option(help: "Connections served at once; more wait until one closes.")
    var maxConnections = 1024

    @Option(help: "Seconds a connection may stay idle (or a client stall) before it is closed.")
    var idleTimeout = 30

    @Option(help: "Threads for lookups, opens and reads.")
    var threads = 32

    @Option(help: "Require clients to authenticate: a file of bearer tokens and user:password lines (Basic).")
    var authFile: String?

    @Option(help: "Write the log here instead of standard error.")
    var logFile: String?

    @Flag(name: .shortAndLong, help: "Log every lookup as well as every request.")
    var verbose = false

    func validate() throws {
        guard ListenAddress(listen) != nil else { throw ValidationError("--listen takes HOST:PORT, not \(listen)") }
        guard maxConnections > 0, idleTimeout > 0, threads > 0 else {
            throw ValidationError("--max-connections, --idle-timeout and --threads take positive numbers")
        }
    }

    func run() async throws {
        if let logFile {
            let descriptor = open(logFile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
            guard descriptor >= 0 else {
                printError("symfs: cannot open log file \(logFile): \(String(cString: strerror(errno)))")
                throw ExitCode(1)
            }
            dup2(descriptor, 2)
            close(descriptor)
        }
        let verbose = verbose
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = verbose ? .debug : .info
            return handler
        }
        let logger = Logger(label: "symfs")
        let service = SymbolService(try symbolPathOptions.settings.configuration(logger: logger))
        service.startBackgroundWork()
        let address = ListenAddress(listen)!
        var configuration = SymbolServer.Configuration()
        configuration.host = address.host
        configuration.port = address.port
        configuration.maximumConnections = maxConnections
        configuration.idleTimeout = idleTimeout
        configuration.blockingThreads = threads
        configuration.responder.missTimeout = Int(symbolPathOptions.missTimeout)
        configuration.responder.logger = Logger(label: "symfs.serve")
        if let authFile {
            guard let text = FilePaths.readTextFile(authFile) else {
                printError("symfs: cannot read \(authFile)")
                throw ExitCode(2)
            }
            let credentials = ClientCredentials(text: text)
            guard !credentials.isEmpty else {
                printError("symfs: \(authFile) names no credential")
                throw ExitCode(2)
            }
            configuration.responder.credentials = credentials
        }
        logger.info("symbol path", metadata: [
            "path": "\(service.configuration.symbolPath.expanded(defaultDownstream: service.configuration.defaultDownstreamStore))"])
        try await SymbolServer(configuration: configuration, service: service).run { port in
            logger.info("serving", metadata: ["address": "http://\(address.host):\(port)/"])
        }
    }
}

/// `HOST:PORT`, `[IPv6]:PORT`.
struct ListenAddress {
    var host: String
    var port: Int

    init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.host = host
        self.port = port
    }
}
