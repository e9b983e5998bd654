import SymbolStore
import SystemSupport
#if canImport(Glibc)
import Glibc
#endif

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

    /// The entries of transaction `id`'s file (or of `ID.deleted`); a line that is not one, or names a file
    /// outside a store's `name/key/` shape, makes the file corrupt.
    package func entries(of id: Int) throws(PublishError) -> [TransactionEntry] {
        let path = transactionPath(id)
        var found = try StoreFiles.read(path)
        if found == nil { found = try StoreFiles.read(path + ".deleted") }
        guard let bytes = found else {
            throw PublishError(.corruptStore, "\(path) is missing")
        }
        var entries: [TransactionEntry] = []
        for line in StoreText.lines(bytes) where !line.isEmpty {
            guard let entry = TransactionEntry(line: line) else {
                throw PublishError(.corruptStore, "\(path): not a transaction entry: \(line.debugDescription)")
            }
            entries.append(entry)
        }
        return entries
    }

    /// The size of a bookkeeping file now.
    func size(of path: String) -> BookkeepingSize {
        var info = stat()
        return stat(path, &info) == 0 ? .bytes(UInt64(info.st_size)) : .absent
    }

    /// Appends `line` (ended by CRLF, after ending a last line that had none) in place and flushes it: the file
    /// keeps its owner and mode, and an add costs the same however long the store's history is.
    func appendDurably(_ line: String, to path: String) throws(PublishError) {
        let descriptor = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw PublishError(.posix(errno, "cannot open", path)) }
        defer { close(descriptor) }
        var info = stat()
        fstat(descriptor, &info)
        var last: UInt8 = 0x0A
        if info.st_size > 0 { _ = pread(descriptor, &last, 1, info.st_size - 1) }
        let bytes = (last == 0x0A ? [] : StoreText.lineEnd) + Array(line.utf8) + StoreText.lineEnd
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                let code = errno
                _ = ftruncate(descriptor, info.st_size)
                throw PublishError(.posix(code, "cannot write", path))
            }
            written += count
        }
        guard fsync(descriptor) == 0 else { throw PublishError(.posix(errno, "cannot flush", path)) }
    }

    /// Cuts `path` back to `size` (what transaction `id` appended goes), removes it when it was not there, or,
    /// when its size before is unknown, removes the lines of `id`.
    func cutBack(_ path: String, to size: BookkeepingSize?, id: Int) throws(PublishError) {
        switch size {
        case nil:
            try removeLines(of: id, from: path)
        case .absent:
            try StoreFiles.remove(path)
        case .bytes(let before):
            guard case .bytes(let current) = self.size(of: path), current > before else { return }
            guard truncate(path, off_t(before)) == 0 else { throw PublishError(.posix(errno, "cannot restore", path)) }
        }
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

    /// The key directories (lower-cased, relative to the root) that transactions in force other than `id` list.
    func listedKeyDirectories(except id: Int) throws(PublishError) -> Set<String> {
        let locations = StoreLocations(root: root)
        var listed: Set<String> = []
        for transaction in try liveTransactions() where transaction.id != id {
            for entry in try entries(of: transaction.id) {
                listed.insert(locations.keyDirectory(name: entry.name, key: entry.key).lowercased())
            }
        }
        return listed
    }
}
