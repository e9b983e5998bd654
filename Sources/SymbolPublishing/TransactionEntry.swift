import SymbolStore

/// One line of a transaction file `000Admin/0000000001` (docs/symbol-stores.md §2.5):
/// `"dummyprog.pdb\F6301B4562FE4B4DB691192733ECE6B71","C:\src\dummyprog.pdb"`: the name, a backslash and the key
/// where the file was stored, then the source path as it was given. Older stores leave out the quotes.
package struct TransactionEntry: Sendable, Hashable {
    package var name: String
    package var key: String
    package var source: String

    package init(name: String, key: String, source: String) {
        self.name = name
        self.key = key
        self.source = source
    }

    package var line: String { "\"\(name)\\\(key)\",\"\(source)\"" }

    package init?(line: String) {
        let stored: Substring
        let source: Substring
        if line.hasPrefix("\""), let separator = StoreText.range(of: "\",\"", in: line[...]) {
            stored = line[line.index(after: line.startIndex)..<separator.lowerBound]
            source = line[separator.upperBound...].dropLast(line.hasSuffix("\"") ? 1 : 0)
        } else if let comma = line.firstIndex(of: ",") {
            stored = line[..<comma]
            source = line[line.index(after: comma)...]
        } else {
            return nil
        }
        guard let backslash = stored.firstIndex(of: "\\") else { return nil }
        name = String(stored[..<backslash])
        key = String(stored[stored.index(after: backslash)...])
        self.source = String(source)
        guard StoreComponent.isValid(name), StoreComponent.isValid(key) else { return nil }
    }
}
