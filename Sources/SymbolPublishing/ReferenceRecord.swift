/// One record of a key directory's `refs.ptr` (docs/symbol-stores.md §2.4): a transaction that stored this file,
/// `0000000001,file,"C:\src\dummyprog.pdb",pri,,N,,` — the id, `file` or `ptr`, the source path (or a pointer's
/// message), what the file holds (`bin`, `pri`, `pub`, `typ`), an empty field, `Y` when stored compressed, and
/// two empty fields.
package struct ReferenceRecord: Sendable, Hashable {
    package var id: Int
    package var content: TransactionRecord.AddedContent
    package var source: String
    package var symbols: String
    package var compressed: Bool

    package init(
        id: Int, content: TransactionRecord.AddedContent, source: String, symbols: String, compressed: Bool
    ) {
        self.id = id
        self.content = content
        self.source = source
        self.symbols = symbols
        self.compressed = compressed
    }

    package var line: String {
        "\(StoreText.id(id)),\(content.rawValue),\"\(source)\",\(symbols),,\(compressed ? "Y" : "N"),,"
    }

    /// Reads a record; the source path is everything between the first quote and the last `",` (it may hold
    /// commas and quotes).
    package init?(line: String) {
        guard let id = StoreText.leadingID(of: line) else { return nil }
        let afterID = line.drop { $0 != "," }.dropFirst()
        let type = afterID.prefix { $0 != "," }
        guard let content = TransactionRecord.AddedContent(rawValue: String(type)) else { return nil }
        let rest = afterID.dropFirst(type.count + 1)
        let source: Substring
        let tail: Substring
        if rest.hasPrefix("\""), let close = StoreText.range(of: "\",", in: rest, last: true) {
            source = rest[rest.index(after: rest.startIndex)..<close.lowerBound]
            tail = rest[close.upperBound...]
        } else {
            source = rest.prefix { $0 != "," }
            tail = rest.dropFirst(source.count + 1)
        }
        let fields = tail.split(separator: ",", omittingEmptySubsequences: false)
        self.id = id
        self.content = content
        self.source = String(source)
        symbols = fields.first.map(String.init) ?? ""
        compressed = fields.count > 2 && fields[2] == "Y"
    }
}

/// A `refs.ptr`: its records in order, each line ended by CRLF but the last, which symstore.exe leaves without one.
package struct ReferenceList: Sendable, Hashable {
    package static let fileName = "refs.ptr"

    package var records: [ReferenceRecord]

    package init(records: [ReferenceRecord]) {
        self.records = records
    }

    package init(bytes: [UInt8]) {
        records = StoreText.lines(bytes).compactMap(ReferenceRecord.init(line:))
    }

    package var bytes: [UInt8] {
        Array(records.map(\.line).joined(separator: "\r\n").utf8)
    }

    /// Whether any transaction still holds a copy of the file (rather than a pointer).
    package var holdsFile: Bool { records.contains { $0.content == .file } }

    /// What `file.ptr` must say: the last record's target when it is a pointer (docs/symbol-stores.md §2.4), nil
    /// when there must be none.
    package var pointerText: String? {
        guard let last = records.last, last.content == .ptr else { return nil }
        return PointerText.of(last.source)
    }
}

/// The text of a `file.ptr` for a pointer record's target: `MSG:` messages as they are, paths as `PATH:path`.
enum PointerText {
    static let messagePrefix = "MSG:"

    static func of(_ target: String) -> String {
        target.hasPrefix(messagePrefix) ? target : "PATH:" + target
    }
}
