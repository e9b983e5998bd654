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

/// Writes `text` to standard error as it is (a progress line redrawn in place).
func printErrorWithoutNewline(_ text: String) {
    _ = text.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
}
