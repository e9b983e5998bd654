/// What the file system asks of a symbol path: listings of what its stores hold, and files by store path.
/// Implementations match names and keys case-insensitively unless configured otherwise.
public protocol SymbolSource: Sendable {
    /// The file names (`ntdll.pdb`, …) the local stores and caches hold, each once.
    func names() throws(SymbolSourceError) -> [String]
    /// The keys held for `name`.
    func keys(of name: String) throws(SymbolSourceError) -> [String]
    /// The variants held for `name/key` (`.plain` when `name/key/name` exists in any form, `.msfz0` for
    /// `name/key/msfz0/name`).
    func variants(of name: String, key: String) throws(SymbolSourceError) -> Set<SymbolRequest.Variant>
    /// Every `name/key` held, with its variants: what `names()`, `keys(of:)` and `variants(of:key:)` say, in
    /// the order they give, each key of a name once.
    func storedFiles() throws(SymbolSourceError) -> [StoredFile]
    /// Counters of the source's own, as `name value` lines (shown after the file system's).
    var statisticsText: String { get }
    /// Whether a directory `name/` may exist: some local store holds it, or a server could.
    func mayHold(name: String) throws(SymbolSourceError) -> Bool
    /// Whether a directory `name/key/` may exist: some local store holds it, or a server could.
    func mayHold(name: String, key: String) throws(SymbolSourceError) -> Bool
    /// Finds a file down the symbol path, first element first, without copying or decompressing it.
    /// nil is an authoritative miss.
    func locate(_ request: SymbolRequest) throws(SymbolSourceError) -> SymbolLocation?
    /// Makes a located file readable as a complete local file: decompresses `name_` files and copies files
    /// found right of a cache into that cache (atomically), then opens the result read-only.
    func open(_ location: SymbolLocation) throws(SymbolSourceError) -> OpenedSymbolFile
}

extension SymbolSource {
    /// Counters of the source's own, as `name value` lines (shown after the file system's).
    public var statisticsText: String { "" }

    public func storedFiles() throws(SymbolSourceError) -> [StoredFile] {
        var files: [StoredFile] = []
        for name in try names() {
            for key in try keys(of: name) {
                files.append(StoredFile(name: name, key: key, variants: try variants(of: name, key: key)))
            }
        }
        return files
    }

    public func mayHold(name: String) throws(SymbolSourceError) -> Bool {
        try names().contains { $0.lowercased() == name.lowercased() }
    }

    public func mayHold(name: String, key: String) throws(SymbolSourceError) -> Bool {
        try keys(of: name).contains { $0.lowercased() == key.lowercased() }
    }
}

/// A local file holding a symbol file's content; the caller closes the descriptor. While the file is still
/// arriving from a server, `availability` says when a range of it can be read.
public struct OpenedSymbolFile: Sendable {
    public var descriptor: Int32
    public var size: UInt64
    /// The local file read from (a cache entry, or the store's own file).
    public var path: String
    /// nil when the file is complete.
    public var availability: (any ContentAvailability)?

    public init(descriptor: Int32, size: UInt64, path: String, availability: (any ContentAvailability)? = nil) {
        self.descriptor = descriptor
        self.size = size
        self.path = path
        self.availability = availability
    }
}

/// Why a lookup, listing or open failed other than by a clean miss.
public struct SymbolSourceError: Error, Sendable, CustomStringConvertible {
    /// The errno a file system should answer with (EIO for corrupt content, ENOSPC for a full cache, …).
    public var errno: Int32
    public var message: String

    public init(errno: Int32, message: String) {
        self.errno = errno
        self.message = message
    }

    public var description: String { message }
}
