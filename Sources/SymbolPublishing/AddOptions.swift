/// How `add` stores files (symstore.exe's options, docs/symbol-stores.md §2.5).
package struct AddOptions: Sendable {
    package var product = ""
    package var version = ""
    package var comment = ""
    /// Store `name_` one-file CABs (symstore `/compress`).
    package var compress = false
    /// Store `file.ptr` pointing at each source file instead of a copy (symstore `/p`).
    package var pointer = false
    /// Store `file.ptr` holding this message instead of a copy (symstore `-:MSG`).
    package var message: String?
    /// Write `refs.ptr` records (symstore `-:NOREFS` turns them off).
    package var references = true
    /// Files read, copied or compressed at once.
    package var jobs = 8

    package init() {}

    var storesPointers: Bool { pointer || message != nil }
}
