import SymbolStore
import SystemSupport

/// A store's `000Admin` (docs/symbol-stores.md §2.5): `lastid.txt`, `server.txt` (transactions in force),
/// `history.txt` (every transaction) and one file per transaction. Read and written under the store's lock.
package struct AdminDirectory: Sendable {
    package static let folderName = "000Admin"

    package let root: String
    package var path: String { root + "/" + Self.folderName }
    var lastIDPath: String { path + "/lastid.txt" }
    var serverPath: String { path + "/server.txt" }
    var historyPath: String { path + "/history.txt" }

    package init(root: String) {
        self.root = root
    }

    package func transactionPath(_ id: Int) -> String { path + "/" + StoreText.id(id) }

    /// The last transaction's id, 0 for a store without one; an error when `lastid.txt` is not a number.
    package func lastID() throws(PublishError) -> Int {
        guard let bytes = try StoreFiles.read(lastIDPath) else { return 0 }
        let text = StoreText.lines(bytes).first?.trimmingBlanks ?? ""
        guard !text.isEmpty, text.count <= 10, text.allSatisfy({ $0.isASCII && $0.isNumber }), let id = Int(text) else {
            throw PublishError(.corruptStore, "\(lastIDPath) does not hold a transaction id: \(text.debugDescription)")
        }
        return id
    }

    /// Checks what a transaction relies on: a numeric `lastid.txt` that names a transaction file (as it is, or
    /// renamed `ID.deleted` by PyPI symstore) or a deletion in `history.txt` (deletions have no file). Returns the
    /// last id.
    package func checkedLastID() throws(PublishError) -> Int {
        let last = try lastID()
        guard last > 0, !StoreFiles.exists(transactionPath(last)), !StoreFiles.exists(transactionPath(last) + ".deleted")
        else { return last }
        let deletion = try historyLines().last { StoreText.leadingID(of: $0) == last }
            .flatMap(TransactionRecord.init(line:))
        if case .delete = deletion?.action { return last }
        throw PublishError(
            .corruptStore, "\(lastIDPath) says transaction \(StoreText.id(last)), but \(transactionPath(last)) is missing")
    }

    package func serverLines() throws(PublishError) -> [String] {
        StoreText.lines(try StoreFiles.read(serverPath) ?? [])
    }

    package func historyLines() throws(PublishError) -> [String] {
        StoreText.lines(try StoreFiles.read(historyPath) ?? [])
    }

    /// The transactions in force, from `server.txt`.
    package func liveTransactions() throws(PublishError) -> [TransactionRecord] {
        try serverLines().compactMap(TransactionRecord.init(line:))
    }

    /// The entries of transaction `id`'s file (or of `ID.deleted`).
    package func entries(of id: Int) throws(PublishError) -> [TransactionEntry] {
        let path = transactionPath(id)
        var found = try StoreFiles.read(path)
        if found == nil { found = try StoreFiles.read(path + ".deleted") }
        guard let bytes = found else {
            throw PublishError(.corruptStore, "\(path) is missing")
        }
        return StoreText.lines(bytes).compactMap(TransactionEntry.init(line:))
    }

    func appendDurably(_ line: String, to path: String) throws(PublishError) {
        try StoreFiles.writeDurably(StoreText.appending(line, to: try StoreFiles.read(path) ?? []), to: path)
    }

    /// Rewrites `path` without the lines that start with `id`; says whether any did.
    @discardableResult
    func removeLines(of id: Int, from path: String) throws(PublishError) -> Bool {
        guard let bytes = try StoreFiles.read(path) else { return false }
        let lines = StoreText.lines(bytes)
        let kept = lines.filter { StoreText.leadingID(of: $0) != id }
        guard kept.count != lines.count else { return false }
        try StoreFiles.writeDurably(StoreText.joined(kept), to: path)
        return true
    }

    func writeLastID(_ id: Int) throws(PublishError) {
        try StoreFiles.writeDurably(Array(StoreText.id(id).utf8), to: lastIDPath)
    }
}

