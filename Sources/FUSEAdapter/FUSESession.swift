import CFuse
import Logging
import SymbolFileSystem
#if canImport(Glibc)
import Glibc
#endif

/// One mount of a `SymbolFileSystem`: creates the libfuse session, mounts, serves requests on libfuse's
/// multi-threaded loop until unmounted or signalled, then tears down in the order libfuse requires.
public final class FUSESession {
    public struct Configuration: Sendable {
        public var mountpoint: String
        /// `-o` options passed to libfuse as they are (e.g. `allow_other`, `default_permissions`).
        public var options: [String] = []
        /// Stay in the foreground (else detach once mounted).
        public var foreground = true
        /// Unmount on SIGINT, SIGTERM and SIGHUP (libfuse's handlers; leave off inside a test process).
        public var handleSignals = true
        /// Called once the mount serves, in the process that serves it (after detaching): where threads of the
        /// daemon's own start, since a fork keeps only the calling thread.
        public var serving: @Sendable () -> Void = {}
        /// Worker threads at most.
        public var maximumThreads: UInt32 = 16
        /// After detaching, send standard error here (a log file) instead of /dev/null.
        public var logDescriptor: Int32?

        public init(mountpoint: String) {
            self.mountpoint = mountpoint
        }
    }

    let configuration: Configuration
    let fileSystem: SymbolFileSystem
    let logger: Logger

    public init(fileSystem: SymbolFileSystem, configuration: Configuration, logger: Logger) {
        self.fileSystem = fileSystem
        self.configuration = configuration
        self.logger = logger
    }

    /// Every option libfuse gets: read-only and named, plus the caller's.
    var libfuseOptions: String {
        (["ro", "fsname=symfs", "subtype=symfs"] + configuration.options).joined(separator: ",")
    }

    /// Mounts and serves until the file system is unmounted; returns the loop's status (0 on a clean unmount).
    public func run() throws(MountError) -> Int32 {
        var arguments = fuse_args(argc: 0, argv: nil, allocated: 0)
        defer { fuse_opt_free_args(&arguments) }
        for argument in ["symfs", "-o", libfuseOptions] {
            guard fuse_opt_add_arg(&arguments, argument) == 0 else { throw MountError("out of memory") }
        }
        let userdata = Unmanaged.passRetained(fileSystem)
        defer { userdata.release() }
        var operations = FUSEOperations.table
        guard let session = fuse_session_new(
            &arguments, &operations, MemoryLayout<fuse_lowlevel_ops>.size, userdata.toOpaque()) else {
            throw MountError("libfuse rejected the options: \(libfuseOptions)")
        }
        defer { fuse_session_destroy(session) }
        guard fuse_session_mount(session, configuration.mountpoint) == 0 else {
            throw MountError("cannot mount on \(configuration.mountpoint) (see the message above)")
        }
        logger.info("mounted", metadata: ["mountpoint": "\(configuration.mountpoint)"])
        if !configuration.foreground {
            guard fuse_daemonize(0) == 0 else {
                fuse_session_unmount(session)
                throw MountError("cannot detach from the terminal")
            }
            if let descriptor = configuration.logDescriptor { dup2(descriptor, 2) }
        }
        if configuration.handleSignals {
            fuse_set_signal_handlers(session)
            // A launcher may hand us these blocked (a parent that blocks them in its threads); libfuse only
            // installs handlers.
            var signals = sigset_t()
            sigemptyset(&signals)
            for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&signals, signal) }
            pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        }
        configuration.serving()
        let loopConfiguration = fuse_loop_cfg_create()
        fuse_loop_cfg_set_max_threads(loopConfiguration, configuration.maximumThreads)
        var status = fuse_session_loop_mt(session, loopConfiguration)
        if [SIGINT, SIGTERM, SIGHUP].contains(status) {
            // libfuse's handlers leave the signal's number as the loop's result: a requested stop.
            logger.info("stopping on signal \(status)")
            status = 0
        }
        fuse_loop_cfg_destroy(loopConfiguration)
        if configuration.handleSignals { fuse_remove_signal_handlers(session) }
        fuse_session_unmount(session)
        logger.info("unmounted", metadata: ["mountpoint": "\(configuration.mountpoint)", "status": "\(status)"])
        return status
    }
}

public struct MountError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
