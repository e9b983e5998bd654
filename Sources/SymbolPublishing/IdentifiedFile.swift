#if canImport(Glibc)
import Glibc
#endif
import SymbolFormats
import SymbolStore

/// A file to store, read: where it is, the name and key it is filed under, and what `refs.ptr` says it holds.
package struct IdentifiedFile: Sendable, Hashable {
    /// The path as given, which the copy reads again (so it reads the file the key came from).
    package var path: String
    /// The path the store records: absolute, symbolic links resolved.
    package var source: String
    package var name: String
    package var key: String
    /// `bin`, `pri`, `pub` or `typ` (docs/symbol-stores.md §2.4).
    package var symbols: String
    package var size: UInt64
    /// Seconds and nanoseconds since the epoch, to see a file change between its key's reading and its copy.
    package var modified: timespec

    /// Reads the file's key. PDB 2.0, Portable PDB and `.dbg` files are `pri`: they carry full debug information
    /// (symstore.exe's choice for them is not recorded anywhere we know of).
    package init(path: String) throws(PublishError) {
        self.path = path
        name = String(path.split(separator: "/").last ?? Substring(path))
        guard StoreComponent.isListable(name) else {
            throw PublishError(.badInput, "\(path): \(name.debugDescription) cannot be a name in a symbol store")
        }
        var info = stat()
        guard stat(path, &info) == 0 else { throw PublishError(.posix(errno, "cannot read", path)) }
        size = UInt64(info.st_size)
        modified = info.st_mtim
        source = Self.resolved(path)
        guard BookkeepingText.isValid(source) else {
            throw PublishError(.badInput, "\(path): a path with quotes or control characters cannot be recorded")
        }
        let symbolFile: SymbolFile
        do {
            symbolFile = try SymbolFile(path: path)
        } catch {
            throw PublishError(error)
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
    }

    /// `path` absolute with symbolic links resolved, as the store records it.
    static func resolved(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return PublishInputs.absolute(path) }
        defer { free(real) }
        return String(cString: real)
    }

    /// Whether `descriptor` (opened for the copy) is still the file whose key was read.
    func isUnchanged(_ descriptor: Int32) -> Bool {
        var info = stat()
        return fstat(descriptor, &info) == 0 && UInt64(info.st_size) == size
            && info.st_mtim.tv_sec == modified.tv_sec && info.st_mtim.tv_nsec == modified.tv_nsec
    }

    package static func == (lhs: IdentifiedFile, rhs: IdentifiedFile) -> Bool {
        lhs.path == rhs.path && lhs.name == rhs.name && lhs.key == rhs.key
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(path)
        hasher.combine(key)
    }
}
