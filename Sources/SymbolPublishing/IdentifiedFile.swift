#if canImport(Glibc)
import Glibc
#endif
import SymbolFormats
import SymbolStore

/// A file to store, read: where it is, the name and key it is filed under, and what `refs.ptr` says it holds.
package struct IdentifiedFile: Sendable, Hashable {
    package var source: String
    package var name: String
    package var key: String
    /// `bin`, `pri`, `pub` or `typ` (docs/symbol-stores.md §2.4).
    package var symbols: String
    package var size: UInt64

    /// Reads the file's key. PDB 2.0, Portable PDB and `.dbg` files are `pri`: they carry full debug information
    /// (symstore.exe's choice for them is not recorded anywhere we know of).
    package init(path: String) throws(PublishError) {
        let symbolFile: SymbolFile
        do {
            symbolFile = try SymbolFile(path: path)
        } catch {
            throw PublishError(error)
        }
        source = PublishInputs.absolute(path)
        name = String(path.split(separator: "/").last ?? Substring(path))
        guard StoreComponent.isValid(name) else {
            throw PublishError(.badInput, "\(path): \(name.debugDescription) cannot be a name in a symbol store")
        }
        key = symbolFile.key
        switch symbolFile {
        case .peImage: symbols = "bin"
        case .pdb70:
            do {
                symbols = try MSFPDB.symbolContent(path: path).rawValue
            } catch {
                throw PublishError(error)
            }
        case .pdb20, .portablePDB, .separateDebug: symbols = "pri"
        }
        var info = stat()
        guard stat(path, &info) == 0 else { throw PublishError(.posix(errno, "cannot read", path)) }
        size = UInt64(info.st_size)
    }
}
