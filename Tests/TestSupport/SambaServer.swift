import Foundation

/// Debian's smbd sharing a directory on 127.0.0.1 (a File Share (SMB) symbol server), with guest access.
/// Everything it writes (config, locks, databases, pid, logs) lives in its own temporary directory; it is stopped
/// when the value is released.
///
///     let server = try SambaServer(share: SambaServer.exampleShare(path: mount.mountpoint))
///     try server.smbclient("get \"ntdll.pdb\\KEY\\ntdll.pdb\" /tmp/ntdll.pdb")
public final class SambaServer: @unchecked Sendable {
    public static let smbd = "/usr/sbin/smbd"
    public static let smbclientPath = "/usr/bin/smbclient"

    /// Whether Debian's samba and smbclient are installed.
    public static var isInstalled: Bool {
        [smbd, smbclientPath].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The share section the project documents for /mnt/symbols (Mount/symbols-share.conf).
    public static let examplePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Mount/symbols-share.conf").path

    /// Mount/symbols-share.conf as written, its `path = /mnt/symbols` line sharing `path` instead.
    public static func exampleShare(path: String) throws -> String {
        let text = try String(contentsOfFile: examplePath, encoding: .utf8)
        var replaced = 0
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let fields = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 2, fields[0] == "path", fields[1] == "/mnt/symbols" else { return String(line) }
            replaced += 1
            return line.prefix { $0 == " " || $0 == "\t" } + "path = " + path
        }
        guard replaced == 1 else {
            throw CommandError(
                command: "reading \(examplePath)", status: 1, output: "no single path = /mnt/symbols line")
        }
        return lines.joined(separator: "\n")
    }

    public let port: Int
    /// The name of the first share in the section (`symbols` for the example).
    public let shareName: String
    private let directory: TemporaryDirectory
    private let process: Process
    private let logPath: String

    /// Starts smbd on a free port with `share` (one or more share sections) after a [global] section of its own,
    /// and waits up to 10 s until it accepts connections.
    public init(share: String) throws {
        guard let header = share.split(separator: "\n").first(where: {
            $0.trimmingCharacters(in: .whitespaces).hasPrefix("[")
        }) else {
            throw CommandError(command: "smbd", status: 1, output: "no share section in \(share)")
        }
        shareName = header.trimmingCharacters(in: CharacterSet(charactersIn: " \t[]"))
        directory = try TemporaryDirectory("symfs-samba")
        logPath = directory.path + "/smbd.log"
        for folder in ["lock", "state", "cache", "private", "pid", "ncalrpc", "binddns"] {
            try FileManager.default.createDirectory(
                atPath: directory.path + "/" + folder, withIntermediateDirectories: true)
        }
        let (directory, logPath, share) = (self.directory, self.logPath, share)
        (port, process) = try LoopbackPort.startServer(
            "smbd", log: { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }, stop: Self.stop
        ) { port in
            let config = directory.path + "/smb.conf"
            try (Self.globalSection(port: port, directory: directory.path) + "\n" + share + "\n")
                .write(toFile: config, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.smbd)
            // Process starts smbd in a session of its own already, where smbd's own setsid() would fail; `stop`
            // relies on that session.
            process.arguments = ["--foreground", "--no-process-group", "--debug-stdout", "--debuglevel=1",
                                 "--configfile=" + config]
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
            let log = FileHandle(forWritingAtPath: logPath)
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = log
            process.standardError = log
            defer { try? log?.close() }
            try process.run()
            return process
        }
    }

    deinit {
        Self.stop(process)
    }

    /// What smbd logged so far.
    public func log() -> String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// Runs smbclient's `commands` (`;`-separated) as guest on the share, killed after `timeout` seconds (exit
    /// status 124). smbclient prints a failed command's NT status and goes on with the next.
    @discardableResult
    public func smbclient(_ commands: String, timeout: Int = 30) throws -> CommandResult {
        try run("/usr/bin/timeout", [
            "--kill-after=5", "\(timeout)", Self.smbclientPath, "//127.0.0.1/\(shareName)", "--port=\(port)",
            "--no-pass", "--command=" + commands,
        ])
    }

    /// smbd's [global] section: guest access, loopback only, every file it keeps in `directory`.
    static func globalSection(port: Int, directory: String) -> String {
        """
        [global]
            server role = standalone server
            smb ports = \(port)
            interfaces = 127.0.0.1
            bind interfaces only = yes
            disable netbios = yes
            map to guest = Bad User
            load printers = no
            printing = bsd
            printcap name = /dev/null
            disable spoolss = yes
            passdb backend = tdbsam:\(directory)/private/passdb.tdb
            lock directory = \(directory)/lock
            state directory = \(directory)/state
            cache directory = \(directory)/cache
            private dir = \(directory)/private
            pid directory = \(directory)/pid
            ncalrpc dir = \(directory)/ncalrpc
            binddns dir = \(directory)/binddns
            log file = \(directory)/log.smbd
        """
    }

    /// SIGTERM to smbd's process group (smbd, a child per connection, its cleanup and notify daemons), up to 5 s
    /// for smbd to exit, then SIGKILL to what is left; then reaps it. smbd answers SIGTERM by signalling its whole
    /// process group, so when it does not lead one of its own (which would be the test's) it is killed alone.
    static func stop(_ process: Process) {
        let pid = process.processIdentifier
        guard pid > 0, process.isRunning else { return }
        guard getpgid(pid) == pid else {
            kill(pid, SIGKILL)
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            return
        }
        kill(-pid, SIGTERM)
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        kill(-pid, SIGKILL)
        let hardDeadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < hardDeadline { usleep(10_000) }
    }
}
