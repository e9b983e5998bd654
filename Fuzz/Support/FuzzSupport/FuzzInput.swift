import CFuzzer
#if canImport(Glibc)
import Glibc
#endif

/// What every fuzzer needs around its input: the bytes as an array, as text, or as a file for the readers that
/// take a path, and a way to stop on a broken invariant so libFuzzer keeps the input.
public enum FuzzInput {
    /// Runs libFuzzer with the command line, calling `testOneInput` for every input; never returns.
    public static func run(_ testOneInput: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> Never {
        exit(cfuzzer_run(CommandLine.argc, CommandLine.unsafeArgv, testOneInput))
    }

    /// The input bytes.
    public static func bytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
        Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// The input as text, invalid UTF-8 repaired the way `String(decoding:as:)` does (as the stores read text).
    public static func text(_ data: UnsafePointer<UInt8>, _ size: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    }

    /// One file per fuzzer process, rewritten for every input: in `$SYMBOLFS_FUZZ_TMP` when set (Fuzz/run sets
    /// it and removes it afterwards), else in /dev/shm (memory, no disk writes) or /tmp.
    public static let path: String = {
        let directory: String
        if let given = getenv("SYMBOLFS_FUZZ_TMP"), given.pointee != 0 {
            directory = String(cString: given)
        } else if access("/dev/shm", W_OK) == 0 {
            directory = "/dev/shm"
        } else {
            directory = "/tmp"
        }
        let path = "\(directory)/symfs-fuzz-input-\(getpid())"
        atexit { unlink(FuzzInput.path) }
        return path
    }()

    /// Where extracted members go: nowhere.
    public static let discard = "/dev/null"

    /// Writes the input to `path` (replacing the previous one) and returns `path`.
    public static func file(_ data: UnsafePointer<UInt8>, _ size: Int) -> String {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { fatalError("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var done = 0
        while done < size {
            let written = write(descriptor, data + done, size - done)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { fatalError("cannot write \(path): \(String(cString: strerror(errno)))") }
            done += written
        }
        return path
    }

    /// Stops the process (libFuzzer saves the input as a crash) when an invariant the parser promises fails.
    public static func require(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition {
            let report = Array("invariant failed: \(message())\n".utf8)
            _ = report.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            abort()
        }
    }
}
