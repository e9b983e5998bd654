import SystemSupport
import SymbolStore
#if canImport(Glibc)
import Glibc
#endif

/// What an open file handle reads from.
enum OpenFileContent: Sendable {
    /// A local file (the descriptor is owned by the handle and closed on release); `availability` is set while
    /// the file is still arriving.
    case descriptor(Int32, size: UInt64, availability: (any ContentAvailability)?)
    /// Bytes made when the file was opened (the file system's own files).
    case bytes([UInt8])
    /// A directory's entries, listed when it was opened so that offsets stay stable across reads.
    case listing([DirectoryEntry])
}

/// Open handles by number.
final class OpenFileTable: Sendable {
    private struct State {
        var handles: [UInt64: OpenFileContent] = [:]
        var next: UInt64 = 1
    }

    private let state = Locked(State())

    func add(_ content: OpenFileContent) -> UInt64 {
        state.withLock { state in
            let handle = state.next
            state.next += 1
            state.handles[handle] = content
            return handle
        }
    }

    func content(_ handle: UInt64) -> OpenFileContent? {
        state.withLock { $0.handles[handle] }
    }

    func remove(_ handle: UInt64) {
        let content = state.withLock { $0.handles.removeValue(forKey: handle) }
        if case .descriptor(let descriptor, _, _) = content {
            close(descriptor)
        }
    }
}
