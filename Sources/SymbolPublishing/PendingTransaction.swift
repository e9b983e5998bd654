/// The record of a transaction under way, `000Admin/.symfs-pending`, written durably before the first change to
/// the store and removed after the last. A writer killed in between leaves it behind, and the next writer, once
/// it holds the lock, finishes what it says (`StoreRecovery`): an add not yet committed by `lastid.txt` is rolled
/// back; a deletion is carried through once `server.txt` no longer lists it, and rolled back before.
package struct PendingTransaction: Sendable, Hashable {
    package static let fileName = ".symfs-pending"

    package enum Operation: String, Sendable, Hashable {
        case add
        case del
    }

    /// A file the transaction writes or removes: the key directory (relative to the root, `/`-separated), the
    /// file in it, and whether the transaction creates it (so a rollback removes only what it made).
    package struct Entry: Sendable, Hashable {
        package var keyDirectory: String
        package var fileName: String
        package var created: Bool
    }

    package var operation: Operation
    /// The transaction's own id: the add's, or the deletion's record in `history.txt`.
    package var id: Int
    /// The transaction a deletion removes.
    package var deleted: Int?
    package var entries: [Entry]

    var bytes: [UInt8] {
        var head = "\(operation.rawValue) \(StoreText.id(id))"
        if let deleted { head += " \(StoreText.id(deleted))" }
        var lines = [head]
        for entry in entries {
            lines.append("\(entry.created ? 1 : 0)\t\(entry.keyDirectory)\t\(entry.fileName)")
        }
        return StoreText.joined(lines)
    }

    init(operation: Operation, id: Int, deleted: Int? = nil, entries: [Entry]) {
        self.operation = operation
        self.id = id
        self.deleted = deleted
        self.entries = entries
    }

    /// Reads the record; nil when it is not one (a write killed before its rename leaves none at all).
    init?(bytes: [UInt8]) {
        let lines = StoreText.lines(bytes)
        guard let head = lines.first?.split(separator: " "), head.count >= 2,
              let operation = Operation(rawValue: String(head[0])), let id = Int(head[1]) else { return nil }
        self.operation = operation
        self.id = id
        deleted = head.count > 2 ? Int(head[2]) : nil
        guard (operation == .del) == (deleted != nil) else { return nil }
        entries = []
        for line in lines.dropFirst() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3 else { return nil }
            entries.append(Entry(keyDirectory: String(fields[1]), fileName: String(fields[2]), created: fields[0] == "1"))
        }
    }
}
