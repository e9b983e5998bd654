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
            miss_timeout=N, lookup_timeout=N, stall_timeout=N, minimum_speed=N, verbose (as fstab passes them), and uid=N, gid=N (the owner shown; default: the \
            daemon's), entry_timeout=N (how long the kernel keeps names and attributes that exist; default a day), \
            dir_timeout=N (listings and growing directories; default 5), max_threads=N (libfuse workers; \
            default 16).
            """
    )

    @Argument(help: "An existing, empty directory to mount on.")
    var mountpoint: String

    @OptionGroup var symbolPathOptions: SymbolPathOptions

    @Flag(name: .shortAndLong, help: "Stay in the foreground.")
    var foreground = false

    @Option(name: .customShort("o"), parsing: .singleValue,
            help: "Mount options, comma-separated (allow_other, default_permissions, … and symfs's own).")
    var mountOptions: [String] = []

    @Option(help: "Seconds the kernel keeps a miss before asking again.")
    var negativeTimeout: Double = 30

    @Option(help: "Once detached, write the log here (default: nowhere).")
    var logFile: String?

    @Flag(name: .shortAndLong, help: "Log every lookup and open.")
    var verbose = false

    func run() throws {
        var settings = try MountSettings(command: self)
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
        let service = SymbolService(try settings.service.configuration(logger: logger))
        logger.info("symbol path", metadata: [
            "path": "\(service.configuration.symbolPath.expanded(defaultDownstream: service.configuration.defaultDownstreamStore))"])
        var fileSystemOptions = FileSystemOptions()
        fileSystemOptions.caseInsensitive = !settings.service.caseSensitive
        fileSystemOptions.negativeTimeout = settings.negativeTimeout
        fileSystemOptions.positiveTimeout = settings.entryTimeout ?? fileSystemOptions.positiveTimeout
        fileSystemOptions.directoryTimeout = settings.directoryTimeout ?? fileSystemOptions.directoryTimeout
        fileSystemOptions.uid = settings.owner ?? getuid()
        fileSystemOptions.gid = settings.group ?? getgid()
        let fileSystem = SymbolFileSystem(source: service.resolver, options: fileSystemOptions)

        let mountpoint = FilePaths.absolute(self.mountpoint)
        var configuration = FUSESession.Configuration(mountpoint: mountpoint)
        configuration.options = settings.libfuseOptions
        configuration.maximumThreads = settings.maximumThreads ?? configuration.maximumThreads
        configuration.foreground = foreground
        configuration.serving = { service.startBackgroundWork() }
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
        if !service.stop(within: 30) {
            logger.warning("unmounted with downloads still running; they restart on the next open")
        }
        if status != 0 { throw ExitCode(1) }
    }
}
