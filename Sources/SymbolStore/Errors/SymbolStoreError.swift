#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a lookup, listing, open or read failed other than by a clean miss: the one error of the store core. Front
/// ends choose their answer from `kind` (the file system core an errno, the HTTP server a status), each in one
/// place; `detail` says what happened, for logs and messages.
public struct SymbolStoreError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Something the answer depends on is not there (a cached file removed, a pointer's target gone).
        case notFound
        /// A server could not be asked, or did not answer usefully.
        case upstreamUnavailable(UpstreamFailure)
        /// What arrived is not the file its name and key promise: another key, a short body, a page of HTML.
        case contentRejected
        /// A compressed file that cannot be decompressed.
        case corruptArchive
        /// A cache or store is full (ENOSPC, EDQUOT).
        case noSpace
        /// A cache or store may not be read or written (EACCES, EPERM, EROFS).
        case permission
        /// Anything else: a system call failing for another reason, no thread to start, an inconsistency.
        case `internal`
    }

    /// How a server failed.
    public enum UpstreamFailure: Sendable, Hashable {
        /// No answer in time: a connect timeout or a stall.
        case timeout
        /// No connection: refused, unreachable, or a host without an address.
        case refused
        /// An answer other than the file or a miss (5xx, 408, 429 after the retries; an unexpected status).
        case status(Int)
        /// The server is skipped after repeated failures.
        case blackout
        /// The connection broke, TLS failed, a redirect was refused or looped, or the answer was not usable HTTP.
        case transport
    }

    public var kind: Kind
    public var detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var description: String { detail }

    /// A failed system call on `path`, its kind judged from its errno.
    package static func posix(_ code: Int32, _ what: String, _ path: String) -> SymbolStoreError {
        let kind: Kind
        switch code {
        case ENOSPC, EDQUOT: kind = .noSpace
        case EACCES, EPERM, EROFS: kind = .permission
        case ENOENT: kind = .notFound
        default: kind = .internal
        }
        return SymbolStoreError(kind, "\(what) \(path): \(String(cString: strerror(code)))")
    }
}
