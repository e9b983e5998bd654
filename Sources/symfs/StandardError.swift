#if canImport(Glibc)
import Glibc
#endif

/// Writes a line to standard error (fd 2; Glibc's `stderr` global is not concurrency-safe).
func printError(_ message: String) {
    let line = message + "\n"
    _ = line.utf8CString.withUnsafeBufferPointer { buffer in
        write(2, buffer.baseAddress, buffer.count - 1)
    }
}
