import SymbolFormats
import SymbolStore

/// Why `add`, `query` or `del` could not do what was asked. Nothing was changed in the store when one is thrown
/// (a transaction under way is rolled back first).
package struct PublishError: Error, Sendable, CustomStringConvertible {
    package enum Kind: Sendable, Hashable {
        /// An input is not a symbol file symstore files by key, or cannot be read.
        case badInput
        /// The store's bookkeeping is not what symstore writes (`lastid.txt` not a number, a transaction file
        /// missing).
        case corruptStore
        /// No such transaction, or one already deleted.
        case unknownTransaction
        /// Reading or writing the store failed.
        case store(SymbolStoreError.Kind)
    }

    package var kind: Kind
    package var detail: String

    package init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    package init(_ error: SymbolStoreError) {
        self.init(.store(error.kind), error.detail)
    }

    package init(_ error: SymbolFileError) {
        self.init(.badInput, error.description)
    }

    package var description: String { detail }
}
