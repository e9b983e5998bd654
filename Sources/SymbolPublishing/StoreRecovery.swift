import SymbolStore

/// Finishes what a killed writer left (`PendingTransaction`), under the store's lock, before any new transaction;
/// also what a failed add runs to undo itself.
package struct StoreRecovery {
    let admin: AdminDirectory

    var pendingPath: String { admin.path + "/" + PendingTransaction.fileName }

    package init(admin: AdminDirectory) {
        self.admin = admin
    }

    /// Rolls back or completes a transaction a killed writer left; returns it, or nil when there was none.
    @discardableResult
    package func recover() throws(PublishError) -> PendingTransaction? {
        StoreFiles.removeAbandonedTemporaries(in: admin.path)
        guard let bytes = try StoreFiles.read(pendingPath) else { return nil }
        guard let pending = PendingTransaction(bytes: bytes) else {
            throw PublishError(.corruptStore, "\(pendingPath) is not a record of a transaction; remove it by hand")
        }
        switch pending.operation {
        case .add:
            if try admin.lastID() < pending.id { try rollBack(pending) }
        case .del:
            guard let deleted = pending.deleted else { break }
            if try admin.liveTransactions().contains(where: { $0.id == deleted }) {
                try admin.cutBack(admin.historyPath, to: pending.historySize, id: pending.id)
                if try admin.lastID() == pending.id { try admin.writeLastID(pending.id - 1) }
            } else {
                try KeyDirectoryReferences.release(pending, admin: admin)
            }
        }
        try StoreFiles.remove(pendingPath)
        return pending
    }

    func record(_ pending: PendingTransaction) throws(PublishError) {
        try StoreFiles.writeDurably(pending.bytes, to: pendingPath)
    }

    func clear() throws(PublishError) {
        try StoreFiles.remove(pendingPath)
    }

    /// Undoes an add that `lastid.txt` does not yet count: the lines it appended to `server.txt` and
    /// `history.txt` first (so they never name a transaction without its file), then its transaction file, the
    /// files it created (which frees room on a full disk), and its `refs.ptr` records.
    func rollBack(_ pending: PendingTransaction) throws(PublishError) {
        try admin.cutBack(admin.serverPath, to: pending.serverSize, id: pending.id)
        try admin.cutBack(admin.historyPath, to: pending.historySize, id: pending.id)
        try StoreFiles.remove(admin.transactionPath(pending.id))
        let directories = pending.entries.map {
            KeyDirectoryReferences(root: admin.root, keyDirectory: $0.keyDirectory)
        }
        for (entry, directory) in zip(pending.entries, directories) {
            StoreFiles.removeAbandonedTemporaries(in: directory.directory)
            if entry.created { try StoreFiles.remove(directory.directory + "/" + entry.fileName) }
        }
        for (entry, directory) in zip(pending.entries, directories) {
            try directory.rollBack(entry, id: pending.id)
        }
    }
}
