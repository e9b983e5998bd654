import SymbolStore

/// A place in the mounted tree. Every spelling of a name is its own node (the kernel's dentry cache is
/// case-sensitive, so two spellings must not share a directory inode; fuse-notes §4.7).
enum Node: Hashable, Sendable {
    case root
    /// `/pingme.txt`: marks the mount as a symbol store for clients given it as a plain path (spec §1.1).
    case pingme
    /// `.ciopfs` in a directory: tells Wine the directory matches names case-insensitively (spec §6).
    case caseInsensitivityMarker(parent: UInt64)
    /// `/.symfs/`: the file system's own files.
    case control
    /// `/.symfs/stats`: counters as text.
    case statistics
    /// `/.symfs/flat/`: every file the local stores hold as `<KEY>.<name>`, for Wine's dbghelp (spec §6).
    case flatView
    case flatFile(SymbolRequest)
    /// `/name/`
    case name(String)
    /// `/name/key/`
    case key(name: String, key: String)
    /// `/name/key/msfz0/`
    case msfzDirectory(name: String, key: String)
    /// `/name/key/name` or `/name/key/msfz0/name`
    case file(SymbolRequest)

    var isDirectory: Bool {
        switch self {
        case .root, .control, .flatView, .name, .key, .msfzDirectory: return true
        case .pingme, .caseInsensitivityMarker, .statistics, .flatFile, .file: return false
        }
    }
}
