/// What an `add` did, file by file.
package struct AddReport: Sendable {
    package enum Outcome: String, Sendable, Codable {
        /// A copy (or its CAB) was written.
        case stored
        /// The store had the file already: only a `refs.ptr` record was added.
        case referenced
        /// A `file.ptr` was written.
        case pointer
    }

    package struct File: Sendable, Codable {
        package var source: String
        package var name: String
        package var key: String
        /// Relative to the store's root.
        package var path: String
        package var outcome: Outcome
        package var compressed: Bool
        package var bytes: UInt64
    }

    /// The transaction's id; nil for a dry run or when nothing was to be stored.
    package var id: Int?
    package var files: [File] = []
    /// Inputs found in directories that are not symbol files, with why.
    package var skipped: [(path: String, reason: String)] = []
    /// Things done otherwise than asked (a file too big for a CAB stored plain).
    package var warnings: [String] = []
}
