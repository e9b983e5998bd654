import CLinux
import SymbolStore
#if canImport(Glibc)
import Glibc
#endif

/// The lock that serialises transactions on one store: a write lock on the store's `pingme.txt` (which every
/// store has and no writer replaces), held by an open descriptor, so it needs no file of its own in the store,
/// dies with its process (a killed writer never leaves a store locked) and is honoured across machines on NFS.
/// symstore.exe and PyPI symstore take no lock (docs/symbol-stores.md §2.5); they are not kept out.
package final class StoreLock {
    private let descriptor: Int32

    /// Waits for the lock on the store at `root`, making `pingme.txt` when the store has none; `waiting` is
    /// called once if another writer holds it.
    package init(root: String, waiting: () -> Void = {}) throws(PublishError) {
        let path = root + "/" + StoreLocations.pingFileName
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw PublishError(.posix(errno, "cannot open the store's", path)) }
        if clinux_lock_file(descriptor, 0) != 0 {
            waiting()
            while clinux_lock_file(descriptor, 1) != 0 {
                guard errno == EINTR else {
                    let code = errno
                    close(descriptor)
                    throw PublishError(.posix(code, "cannot lock", path))
                }
            }
        }
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }
}
