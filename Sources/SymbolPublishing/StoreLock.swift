import SymbolStore
#if canImport(Glibc)
import Glibc
#endif

/// The lock that serialises transactions on one store: `flock` on the store's root directory, held by an open
/// descriptor, so it needs no file of its own in the store and dies with its process (a killed writer never
/// leaves a store locked). symstore.exe takes no lock (docs/symbol-stores.md §2.5); writers that do not take
/// this one are not kept out.
package final class StoreLock {
    private let descriptor: Int32

    /// Waits for the lock on `root`; `waiting` is called once if another writer holds it.
    package init(root: String, waiting: () -> Void = {}) throws(PublishError) {
        let descriptor = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw PublishError(.posix(errno, "cannot open the store", root)) }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            waiting()
            while flock(descriptor, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    let code = errno
                    close(descriptor)
                    throw PublishError(.posix(code, "cannot lock the store", root))
                }
            }
        }
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }
}
