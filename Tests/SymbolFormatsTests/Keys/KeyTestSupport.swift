import SymbolStore
import SymbolFormats

/// Which `SymbolFileError` case a file gave, so tests assert the reason and not only that parsing failed.
enum SymbolFileErrorCase: String, Sendable {
    case unreadable, unrecognized, truncated, corrupt, missing
}

extension SymbolFileError {
    var errorCase: SymbolFileErrorCase {
        switch self {
        case .unreadable: return .unreadable
        case .unrecognized: return .unrecognized
        case .truncated: return .truncated
        case .corrupt: return .corrupt
        case .missing: return .missing
        }
    }
}

/// The error `SymbolFile(path:)` throws for `path`, or nil when it yields a key.
func symbolFileError(_ path: String) -> SymbolFileError? {
    do {
        _ = try SymbolFile(path: path)
        return nil
    } catch {
        return error
    }
}

/// The middle component of a `name/key/name` store path.
func keyComponent(_ storePath: String) -> String {
    String(storePath.split(separator: "/")[1])
}

/// Bytes written over a real file at an offset, and the error the file must then give.
struct ByteLie: Sendable, CustomStringConvertible {
    var what: String
    var offset: Int
    var bytes: [UInt8]
    var expected: SymbolFileErrorCase
    var description: String { "\(what) -> \(expected)" }
}
