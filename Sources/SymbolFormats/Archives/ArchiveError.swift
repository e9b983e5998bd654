#if canImport(Glibc)
import Glibc
#endif

/// Why an archive could not be read or extracted: the archive's fault (corrupt data, other than one member,
/// unreadable), or the output's (the extracted file could not be written: a full disk, a permission).
package struct ArchiveError: Error, Sendable, CustomStringConvertible {
    package enum Cause: Sendable, Hashable {
        case corrupt
        /// Writing the extracted file failed with this errno.
        case output(errno: Int32)
    }

    package var cause: Cause
    package var detail: String

    package var description: String { detail }

    static func corrupt(_ path: String, _ reason: String) -> ArchiveError {
        ArchiveError(cause: .corrupt, detail: "\(path): corrupt compressed file: \(reason)")
    }

    /// The extracted file from `path` could not be written; EIO when the system said nothing.
    static func output(_ code: Int32, from path: String) -> ArchiveError {
        let code = code != 0 ? code : EIO
        return ArchiveError(
            cause: .output(errno: code),
            detail: "cannot write the file decompressed from \(path): \(String(cString: strerror(code)))")
    }
}
