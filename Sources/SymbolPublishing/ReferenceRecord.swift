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
