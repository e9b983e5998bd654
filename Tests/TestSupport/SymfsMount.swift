import Foundation

/// `symfs mount -f` run as a child process on a fresh mountpoint; unmounted and reaped when released, even
/// when the test fails.
public final class SymfsMount: @unchecked Sendable {
    public let directory: TemporaryDirectory
    public let mountpoint: String
    public let process: Process
    public let logPath: String

    /// Mounts on a fresh directory, or on `reuseMountpoint` (e.g. one a killed daemon left stale).
    public init(
        symbolPath: String, arguments: [String] = [], environment: [String: String] = [:],
        reuseMountpoint: String? = nil
    ) throws {
        MountWaiting.sweepStaleTestMounts()
        directory = try TemporaryDirectory("symfs-mount")
        mountpoint = try reuseMountpoint ?? directory.file("mnt")
        logPath = try directory.file("symfs.log")
        if reuseMountpoint == nil {
            try FileManager.default.createDirectory(atPath: mountpoint, withIntermediateDirectories: true)
        }
        FileManager.default.createFile(atPath: logPath, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: Executables.symfs)
        process.arguments = ["mount", "--foreground", mountpoint, "--symbol-path", symbolPath] + arguments
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { $1 }
        process.environment = merged
        let logHandle = FileHandle(forWritingAtPath: logPath)
        process.standardOutput = logHandle
        process.standardError = logHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        guard MountWaiting.waitUntil(mounted: true, at: mountpoint, seconds: 15),
              MountWaiting.waitUntilConnected(mountpoint, seconds: 15) else {
            process.terminate()
            process.waitUntilExit()
            throw CommandError(command: "symfs mount", status: process.terminationStatus, output: self.log())
        }
    }

    public func path(_ relative: String) -> String {
        relative.isEmpty ? mountpoint : "\(mountpoint)/\(relative)"
    }

    /// What the daemon logged so far.
    public func log() -> String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// Unmounts and waits (bounded) for the daemon to exit; returns its exit status.
    @discardableResult
    public func unmount() -> Int32 {
        if MountWaiting.isMounted(mountpoint) { MountWaiting.unmount(mountpoint) }
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        if process.isRunning {
            process.interrupt()
            usleep(200_000)
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        unmount()
    }
}
