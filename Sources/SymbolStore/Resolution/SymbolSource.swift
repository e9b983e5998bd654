/// What the file system asks of a symbol path: listings of what its stores hold, and files by store path.
/// Implementations match names and keys case-insensitively unless configured otherwise.
public protocol SymbolSource: Sendable {
    /// The file names (`ntdll.pdb`, …) the local stores and caches hold, each once.
    func names() throws(SymbolStoreError) -> [String]
    /// The keys held for `name`.
    func keys(of name: String) throws(SymbolStoreError) -> [String]
    /// The variants held for `name/key` (`.plain` when `name/key/name` exists in any form, `.msfz0` for
    /// `name/key/msfz0/name`).
    func variants(of name: String, key: String) throws(SymbolStoreError) -> Set<SymbolRequest.Variant>
    /// Every `name/key` held, with its variants: what `names()`, `keys(of:)` and `variants(of:key:)` say, in
    /// the order they give, each key of a name once.
    func storedFiles() throws(SymbolStoreError) -> [StoredFile]
    /// Counters of the source's own, as `name value` lines (shown after the file system's).
    var statisticsText: String { get }
    /// Whether a directory `name/` may exist: some local store holds it, or a server could.
    func mayHold(name: String) throws(SymbolStoreError) -> Bool
    /// Whether a local store (or cache, or plain directory) holds a directory `name/`, not only a server could.
    func holdsLocally(name: String) throws(SymbolStoreError) -> Bool
    /// Whether a local store holds a directory `name/key/`.
    func holdsLocally(name: String, key: String) throws(SymbolStoreError) -> Bool
    /// Whether a directory `name/key/` may exist: some local store holds it, or a server could.
    func mayHold(name: String, key: String) throws(SymbolStoreError) -> Bool
    /// Finds a file down the symbol path, first element first, without copying or decompressing it.
    /// nil is an authoritative miss.
    func locate(_ request: SymbolRequest) throws(SymbolStoreError) -> ResolvedSymbol?
    /// Makes a located file readable as a complete local file: decompresses `name_` files and copies files
    /// found right of a cache into that cache (atomically), then opens the result read-only.
    func open(_ location: ResolvedSymbol) throws(SymbolStoreError) -> OpenedSymbolFile
}

extension SymbolSource {
    /// Counters of the source's own, as `name value` lines (shown after the file system's).
    public var statisticsText: String { "" }

    public func storedFiles() throws(SymbolStoreError) -> [StoredFile] {
        var files: [StoredFile] = []
        for name in try names() {
            for key in try keys(of: name) {
                files.append(StoredFile(name: name, key: key, variants: try variants(of: name, key: key)))
            }
        }
        return files
    }

    public func holdsLocally(name: String) throws(SymbolStoreError) -> Bool { try mayHold(name: name) }

    public func holdsLocally(name: String, key: String) throws(SymbolStoreError) -> Bool {
        try mayHold(name: name, key: key)
    }

    public func mayHold(name: String) throws(SymbolStoreError) -> Bool {
        try names().contains { $0.lowercased() == name.lowercased() }
    }

    public func mayHold(name: String, key: String) throws(SymbolStoreError) -> Bool {
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
    /// Set when the answer the open was given no longer held and the file was resolved again: what was opened.
    public var resolved: ResolvedSymbol?

    public init(descriptor: Int32, size: UInt64, path: String, availability: (any ContentAvailability)? = nil) {
        self.descriptor = descriptor
        self.size = size
        self.path = path
        self.availability = availability
    }
}
