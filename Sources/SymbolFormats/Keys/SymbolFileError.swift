/// Why a file yields no symbol key.
public enum SymbolFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened or read (errno text).
    case unreadable(path: String, reason: String)
    /// The file is none of the formats a symbol store files by key.
    case unrecognized(path: String)
    /// The file is of a known format but ends before a structure it declares.
    case truncated(path: String, what: String)
    /// A header declares something impossible (out of range, inconsistent).
    case corrupt(path: String, what: String)
    /// The file is of a known format that carries no usable key (e.g. a PE without a CodeView record).
    case missing(path: String, what: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "\(path): cannot read: \(reason)"
        case .unrecognized(let path):
            return "\(path): not a PE image (.exe/.dll/.sys), PDB 7.0, PDB 2.0 or Portable PDB"
        case .truncated(let path, let what): return "\(path): truncated: \(what)"
        case .corrupt(let path, let what): return "\(path): corrupt: \(what)"
        case .missing(let path, let what): return "\(path): \(what)"
        }
    }
}
