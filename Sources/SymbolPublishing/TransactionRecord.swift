#if canImport(Glibc)
import Glibc
#endif

/// One line of `000Admin/server.txt` or `history.txt` (docs/symbol-stores.md §2.5):
/// `0000000001,add,file,09/06/2016,10:34:19,"product","version","comment",` for an addition (`ptr` for pointers),
/// `0000000105,del,0000000096` for a deletion.
package struct TransactionRecord: Sendable, Hashable {
    package enum Action: Sendable, Hashable {
        case add(AddedContent, date: String, time: String, product: String, version: String, comment: String)
        case delete(id: Int)
    }

    /// What an addition stored: copies of the files, or pointers to them.
    package enum AddedContent: String, Sendable, Hashable {
        case file
        case ptr
    }

    package var id: Int
    package var action: Action

    package var line: String {
        switch action {
        case .add(let content, let date, let time, let product, let version, let comment):
            return "\(StoreText.id(id)),add,\(content.rawValue),\(date),\(time),\"\(product)\",\"\(version)\",\"\(comment)\","
        case .delete(let deleted):
            return "\(StoreText.id(id)),del,\(StoreText.id(deleted))"
        }
    }

    /// An addition dated now, in local time (`MM/DD/YYYY`, `HH:MM:SS`), as symstore.exe dates them.
    package static func addition(
        id: Int, content: AddedContent, product: String, version: String, comment: String, at seconds: Int
    ) -> TransactionRecord {
        var clock = time_t(seconds)
        var parts = tm()
        localtime_r(&clock, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let date = "\(two(parts.tm_mon + 1))/\(two(parts.tm_mday))/\(parts.tm_year + 1900)"
        let time = "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
        return TransactionRecord(
            id: id,
            action: .add(content, date: date, time: time, product: product, version: version, comment: comment))
    }

    package init(id: Int, action: Action) {
        self.id = id
        self.action = action
    }

    /// Reads a line; nil for a line that is neither form. Quoted fields may hold commas.
    package init?(line: String) {
        let fields = Self.fields(of: line)
        guard fields.count >= 3, let id = StoreText.leadingID(of: line) else { return nil }
        self.id = id
        switch fields[1] {
        case "del":
            guard let deleted = Int(fields[2]) else { return nil }
            action = .delete(id: deleted)
        case "add":
            guard fields.count >= 8, let content = AddedContent(rawValue: fields[2]) else { return nil }
            action = .add(
                content, date: fields[3], time: fields[4], product: fields[5], version: fields[6], comment: fields[7])
        default:
            return nil
        }
    }

    /// Comma-separated fields, a quoted field taken whole without its quotes.
    static func fields(of line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        for character in line {
            if character == "\"" {
                quoted.toggle()
            } else if character == "," && !quoted {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
