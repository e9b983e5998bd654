#if canImport(Glibc)
import Glibc
#endif

/// `symfs del`: removes a transaction as symstore.exe does (docs/symbol-stores.md §2.4–2.5). Its records leave
/// every `refs.ptr`, a file goes with its last copy's record, `file.ptr` follows the last remaining record,
/// `server.txt` loses its line and `history.txt` gains `NEW,del,ID` under a new id.
///
/// Order, under the store's lock: the pending record; `history.txt`; `lastid.txt`; `server.txt` without the
/// line, which commits; then the files. A kill before the commit is rolled back by the next writer, one after it
/// is carried through, so `000Admin` never lists a file that is gone.
package struct TransactionDeleter {
    package let root: String
    package var waiting: () -> Void = {}

    package init(root: String) {
        self.root = root
    }

    /// What a deletion did: the id of its own record, and what went wrong after it was committed.
    package struct Report: Sendable {
        package var record: Int
        package var warnings: [String] = []
    }

    /// Deletes transaction `id`. An id that is not in force (never added, or deleted already) is an error that
    /// changes nothing.
    package func delete(_ id: Int) throws(PublishError) -> Report {
        let admin = AdminDirectory(root: root)
        guard StoreFiles.isDirectory(admin.path) else {
            throw PublishError(.corruptStore, "\(root) has no \(AdminDirectory.folderName): not a store symstore writes")
        }
        let lock = try StoreLock(root: root, waiting: waiting)
        defer { withExtendedLifetime(lock) {} }
        let recovery = StoreRecovery(admin: admin)
        try recovery.recover()
        guard try admin.liveTransactions().contains(where: { $0.id == id }) else {
            let deletedBefore = try admin.historyLines().compactMap(TransactionRecord.init(line:)).contains {
                if case .delete(let deleted) = $0.action { return deleted == id }
                return false
            }
            throw PublishError(
                .unknownTransaction,
                "transaction \(StoreText.id(id)) \(deletedBefore ? "was deleted already" : "is not in \(admin.serverPath)")")
        }
        let entries = try admin.entries(of: id)
        let record = try admin.checkedLastID() + 1
        let locations = StoreLocations(root: root)
        let pending = PendingTransaction(
            operation: .del, id: record, deleted: id, serverSize: nil, historySize: admin.size(of: admin.historyPath),
            entries: entries.map {
                PendingTransaction.Entry(
                    keyDirectory: locations.keyDirectory(name: $0.name, key: $0.key), fileName: $0.name, created: false)
            })
        try recovery.record(pending)
        do {
            try admin.appendDurably(TransactionRecord(id: record, action: .delete(id: id)).line, to: admin.historyPath)
            try admin.writeLastID(record)
            try admin.removeLines(of: id, from: admin.serverPath)
        } catch {
            _ = try? recovery.recover()
            throw error
        }
        CrashPoint.deletionCommitted.reach()
        var report = Report(record: record)
        // Committed: the files go now, or with the next writer's recovery if this fails.
        do {
            try KeyDirectoryReferences.release(pending, admin: admin)
            utimensat(AT_FDCWD, root + "/" + StoreLocations.pingFileName, nil, 0)
            try recovery.clear()
        } catch {
            report.warnings.append(
                "transaction \(StoreText.id(id)) is deleted, but its files are not all removed yet: \(error.detail)")
        }
        return report
    }
}
