import Foundation

public struct CommandError: Error, CustomStringConvertible {
    public var command: String
    public var status: Int32
    public var output: String
    public var description: String { "\(command) exited \(status): \(output)" }

    public init(command: String, status: Int32, output: String) {
        self.command = command
        self.status = status
        self.output = output
    }
}

/// What a finished command printed.
public struct CommandResult: Sendable {
    public var status: Int32
    public var standardOutput: String
    public var standardError: String
}

/// Runs a program to completion (stdin closed) and returns what it printed.
@discardableResult
public func run(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
    directory: String? = nil
) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : try which(executable))
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Read both pipes concurrently so a chatty child never blocks on a full pipe.
    let errorData = LockedData()
    let reader = Thread { errorData.set(error.fileHandleForReading.readDataToEndOfFile()) }
    reader.start()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !errorData.isSet { usleep(1000) }
    return CommandResult(
        status: process.terminationStatus,
        standardOutput: String(decoding: outputData, as: UTF8.self),
        standardError: String(decoding: errorData.value, as: UTF8.self))
}

/// Runs a program and throws unless it exits 0.
@discardableResult
public func runChecked(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
    directory: String? = nil
) throws -> CommandResult {
    let result = try run(executable, arguments, environment: environment, directory: directory)
    guard result.status == 0 else {
        throw CommandError(
            command: ([executable] + arguments).joined(separator: " "), status: result.status,
            output: result.standardError + result.standardOutput)
    }
    return result
}

/// The full path of a program on PATH (plus the toolchain's own bin directory).
public func which(_ name: String) throws -> String {
    let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/opt/swift/usr/bin:/usr/sbin:/sbin"
    for directory in path.split(separator: ":") {
        let candidate = "\(directory)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    throw CommandError(command: name, status: 127, output: "\(name) not found on PATH")
}

final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return data != nil }
    var value: Data { lock.lock(); defer { lock.unlock() }; return data ?? Data() }
}

/// Runs a program that may leave a daemon behind (`symfs mount` without -f): spawned directly and reaped with
/// waitpid, its output in a file, so neither pipes held by the daemon nor Foundation's child tracking can keep
/// the caller waiting.
public func runSpawningDaemon(_ executable: String, _ arguments: [String]) throws -> CommandResult {
    let output = "/tmp/symfs-spawn-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).out"
    defer { unlink(output) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    guard spawned == 0 else { throw CommandError(command: executable, status: spawned, output: "posix_spawn failed") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    let exited = status & 0x7f == 0
    return CommandResult(status: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f),
                         standardOutput: text, standardError: text)
}
