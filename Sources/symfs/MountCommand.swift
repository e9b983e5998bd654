import ArgumentParser
import FUSEAdapter
import Logging
import SymbolFileSystem
import SymbolStore
#if canImport(Glibc)
import Glibc
#endif

struct MountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mount",
        abstract: "Mount a symbol path as a read-only directory tree.",
        discussion: """
            The tree holds every file of the symbol path at name/KEY/name, found lazily down the path; \
            /pingme.txt marks it as a symbol store, /.symfs/stats shows counters, and /.symfs/flat lists every \
            stored file as KEY.name for Wine's dbghelp. Options may also be given as -o symbol_path=…, \
            case_sensitive, negative_timeout=N, pointer_root=DIR, log_file=PATH, cacert=FILE, http_headers_file=FILE, \
            miss_timeout=N, verbose (as fstab passes them), and uid=N, gid=N (the owner shown; default: the \
            daemon's), entry_timeout=N (how long the kernel keeps names and attributes that exist; default a day), \
            dir_timeout=N (listings and growing directories; default 5), max_threads=N (libfuse workers; \
            default 16).
            """
    )

    @Argument(help: "An existing, empty directory to mount on.")
    var mountpoint: String

    @Option(name: [.customLong("symbol-path"), .customShort("y")],
            help: "The symbol path (default: _NT_ALT_SYMBOL_PATH;_NT_SYMBOL_PATH, else what .symfix sets).")
    var symbolPath: String?

    @Flag(name: .shortAndLong, help: "Stay in the foreground.")
    var foreground = false

    @Option(name: .customShort("o"), parsing: .singleValue,
            help: "Mount options, comma-separated (allow_other, default_permissions, … and symfs's own).")
    var mountOptions: [String] = []

    @Flag(help: "Match names and keys exactly (default: regardless of case, as Windows clients expect).")
    var caseSensitive = false

    @Option(help: "Seconds the kernel keeps a miss before asking again.")
    var negativeTimeout: Double = 30

    @Option(help: "Follow file.ptr targets only below this directory (repeatable; default: anywhere).")
    var pointerRoot: [String] = []

    @Option(help: "An extra HTTP request header for servers whose host ends in HOST-SUFFIX: 'HOST-SUFFIX=Name: value' (repeatable).")
    var httpHeader: [String] = []

    @Option(help: "A file of extra HTTP request headers, one 'HOST-SUFFIX Name: value' a line (keeps tokens out of ps).")
    var httpHeadersFile: String?

    @Option(name: .customLong("cacert"),
            help: "A PEM file of the certificate authorities HTTPS servers are verified against (default: the system's).")
    var certificateAuthorities: String?

    @Option(help: "Seconds a server's 404 is remembered before it is asked again (SymProxy's MissTimeout).")
    var missTimeout: Double = 300

    @Option(help: "Once detached, write the log here (default: nowhere).")
    var logFile: String?

    @Flag(name: .shortAndLong, help: "Log every lookup and open.")
    var verbose = false

    func run() throws {
        var settings = MountSettings(command: self)
        do {
            try settings.apply(options: mountOptions)
        } catch {
            throw ValidationError(String(describing: error))
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = settings.verbose ? .debug : .info
            return handler
        }
        let logger = Logger(label: "symfs")
        let environment = SymbolPathEnvironment.current
        let path: SymbolPath
        do {
            path = try (settings.symbolPath.map { try SymbolPath(parsing: $0) } ?? environment.symbolPath())
                .absolutized(currentDirectory: Self.currentDirectory(), home: environment.variables["HOME"])
        } catch {
            printError("symfs: \(error)")
            throw ExitCode(2)
        }
        let httpConfiguration: HTTPConfiguration
        do {
            var configuration = try HTTPConfiguration(environment: environment)  // _NT_SYMBOL_PROXY, spec §3.3
            for header in httpHeader {
                configuration.extraHeaders.append(try HTTPHeaderSetting.parse(header, separator: "="))
            }
            if let file = settings.httpHeadersFile {
                guard let contents = Self.readTextFile(file) else {
                    throw MountSettingsError(option: "http headers file", reason: "cannot read \(file)")
                }
                configuration.extraHeaders += try HTTPHeaderSetting.parseFile(contents)
            }
            if let file = settings.certificateAuthorities {
                guard access(file, R_OK) == 0 else {
                    throw MountSettingsError(option: "cacert", reason: "cannot read \(file)")
                }
                configuration.certificateAuthorities = Self.absolute(file)
            }
            httpConfiguration = configuration
        } catch {
            printError("symfs: \(error)")
            throw ExitCode(2)
        }
        let defaultDownstream = environment.defaultDownstreamStore
        logger.info("symbol path", metadata: ["path": "\(path.expanded(defaultDownstream: defaultDownstream))"])

        let resolver = SymbolPathResolver(
            symbolPath: path, defaultDownstreamStore: defaultDownstream,
            options: SymbolPathResolver.Options(
                caseInsensitive: !settings.caseSensitive,
                allowedPointerRoots: settings.pointerRoots.isEmpty ? nil : settings.pointerRoots,
                logger: logger, httpClient: HTTPClient(configuration: httpConfiguration, logger: logger),
                httpStoreSettings: Self.storeSettings(missTimeout: settings.missTimeout)))
        resolver.removeLeftoverDownloads()
        var fileSystemOptions = FileSystemOptions()
        fileSystemOptions.caseInsensitive = !settings.caseSensitive
        fileSystemOptions.negativeTimeout = settings.negativeTimeout
        fileSystemOptions.positiveTimeout = settings.entryTimeout ?? fileSystemOptions.positiveTimeout
        fileSystemOptions.directoryTimeout = settings.directoryTimeout ?? fileSystemOptions.directoryTimeout
        fileSystemOptions.uid = settings.owner ?? getuid()
        fileSystemOptions.gid = settings.group ?? getgid()
        let fileSystem = SymbolFileSystem(source: resolver, options: fileSystemOptions)

        let mountpoint = Self.absolute(self.mountpoint)
        var configuration = FUSESession.Configuration(mountpoint: mountpoint)
        configuration.options = settings.libfuseOptions
        configuration.maximumThreads = settings.maximumThreads ?? configuration.maximumThreads
        configuration.foreground = foreground
        if let logFile = settings.logFile {
            let descriptor = open(logFile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
            guard descriptor >= 0 else {
                printError("symfs: cannot open log file \(logFile): \(String(cString: strerror(errno)))")
                throw ExitCode(1)
            }
            configuration.logDescriptor = descriptor
        }
        let status: Int32
        do {
            try MountPoint.prepare(mountpoint, logger: logger)
            status = try FUSESession(fileSystem: fileSystem, configuration: configuration, logger: logger).run()
        } catch {
            printError("symfs: \(error)")
            throw ExitCode(1)
        }
        if !resolver.finishDownloads(within: 30) {
            logger.warning("unmounted with downloads still running; they restart on the next open")
        }
        if status != 0 { throw ExitCode(1) }
    }

    static func storeSettings(missTimeout: Double) -> HTTPStoreSettings {
        var store = HTTPStoreSettings()
        store.missTimeout = .milliseconds(Int64(missTimeout * 1000))
        return store
    }

    static func readTextFile(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var text = ""
        var buffer = [CChar](repeating: 0, count: 4096)
        while fgets(&buffer, Int32(buffer.count), file) != nil {
            text += String(cString: buffer)
        }
        return text
    }

    static func currentDirectory() -> String {
        guard let directory = getcwd(nil, 0) else { return "/" }
        defer { free(directory) }
        return String(cString: directory)
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : currentDirectory() + "/" + path
    }
}
