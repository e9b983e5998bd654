import SymbolStore

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
    /// The sizes of `server.txt` and `history.txt` before this transaction appended to them, to which a rollback
    /// cuts them back; nil when unknown (a rollback then removes the transaction's lines).
    package var serverSize: BookkeepingSize?
    package var historySize: BookkeepingSize?
    package var entries: [Entry]

    var bytes: [UInt8] {
        var head = ["\(operation.rawValue)", StoreText.id(id)]
        if let deleted { head.append("deletes=" + StoreText.id(deleted)) }
        if let serverSize { head.append("server=\(serverSize.text)") }
        if let historySize { head.append("history=\(historySize.text)") }
        var lines = [head.joined(separator: " ")]
        for entry in entries {
            lines.append("\(entry.created ? 1 : 0)\t\(entry.keyDirectory)\t\(entry.fileName)")
        }
        return StoreText.joined(lines)
    }

    init(
        operation: Operation, id: Int, deleted: Int? = nil, serverSize: BookkeepingSize?, historySize: BookkeepingSize?,
        entries: [Entry]
    ) {
        self.operation = operation
        self.id = id
        self.deleted = deleted
        self.serverSize = serverSize
        self.historySize = historySize
        self.entries = entries
    }

    /// Reads the record; nil when it is not one. Every path in it must be made of valid store components, so a
    /// record planted in a store can never make a rollback remove anything outside it.
    init?(bytes: [UInt8]) {
        let lines = StoreText.lines(bytes)
        guard let head = lines.first?.split(separator: " "), head.count >= 2,
              let operation = Operation(rawValue: String(head[0])), let id = Int(head[1]) else { return nil }
        self.operation = operation
        self.id = id
        for token in head.dropFirst(2) {
            let parts = token.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            switch parts[0] {
            case "deletes":
                guard let value = Int(parts[1]) else { return nil }
                deleted = value
            case "server":
                guard let value = BookkeepingSize(text: parts[1]) else { return nil }
                serverSize = value
            case "history":
                guard let value = BookkeepingSize(text: parts[1]) else { return nil }
                historySize = value
            default: return nil
            }
        }
        guard (operation == .del) == (deleted != nil) else { return nil }
        entries = []
        for line in lines.dropFirst() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3,
                  fields[1].split(separator: "/", omittingEmptySubsequences: false).allSatisfy({
                      StoreComponent.isValid(String($0))
                  }),
                  StoreComponent.isValid(String(fields[2])) else { return nil }
            entries.append(Entry(keyDirectory: String(fields[1]), fileName: String(fields[2]), created: fields[0] == "1"))
        }
    }
}
