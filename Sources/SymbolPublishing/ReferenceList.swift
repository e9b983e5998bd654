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
