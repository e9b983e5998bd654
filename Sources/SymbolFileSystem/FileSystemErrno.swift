import SymbolStore
#if canImport(Glibc)
import Glibc
#endif

/// The errno a client is told for a store core failure: the one place the file system chooses it.
extension SymbolStoreError {
    /// For a lookup or an open. Network causes mean nothing to a program that called `stat` or `open`: a server
    /// that is slow, silent or failing is an I/O error (EIO), never a miss.
    var errno: Int32 {
        switch kind {
        case .notFound: return ENOENT
        case .upstreamUnavailable, .contentRejected, .corruptArchive, .internal: return EIO
        case .noSpace: return ENOSPC
        case .permission: return EACCES
        }
    }

    /// For a read of a file still arriving: whatever stopped its download, the bytes are not coming (EIO), unless
    /// the cache filled up.
    var readErrno: Int32 {
        kind == .noSpace ? ENOSPC : EIO
    }
}
