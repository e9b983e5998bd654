import Logging

/// One store of a symbol path as the resolver sees it: a `cache*` directory, one store of a `srv*` chain, or a
/// plain directory. `LocalSymbolStore` and `PlainDirectory` are the local kinds; `HTTPSymbolStore` answers with
/// `.remote` hits, which `open` has to download.
public protocol SymbolStoreBackend: Sendable {
    /// The directory (or, for remote stores, the URL) the symbol path names.
    var root: String { get }
    /// Where `request` is in this store, without copying or decompressing anything; nil when it is not here.
    func lookup(_ request: SymbolRequest) throws(SymbolStoreError) -> StoreHit?
    /// Whether the store has a directory for `name` (candidate spellings only, no listing).
    func holds(name: String) -> Bool
    /// Whether the store has a directory for `name/key` (candidate spellings only, no listing).
    func holds(name: String, key: String) -> Bool
    /// File names held, as the store spells them, read when called.
    func names() -> [String]
    /// Keys held for `name` (matched as the options say), as the store spells them.
    func keys(of name: String) -> [String]
    /// Variants held for `name/key`.
    func variants(of name: String, key: String) -> Set<SymbolRequest.Variant>
    /// Everything held, read in one walk of the store (what `names()`, `keys(of:)` and `variants(of:key:)`
    /// would say of every name and key).
    func listing() -> any StoreListing
}

/// A store's answer to a lookup.
public struct StoreHit: Sendable, Hashable {
    public var form: ResolvedSymbol.Form
    /// Bytes served: the uncompressed length for compressed files.
    public var size: UInt64
    public var modificationTime: Int64
    /// The name and key as this store spells them (its directory names, or the spelling a probe matched).
    public var spelling: StoreSpelling

    public init(form: ResolvedSymbol.Form, size: UInt64, modificationTime: Int64, spelling: StoreSpelling) {
        self.form = form
        self.size = size
        self.modificationTime = modificationTime
        self.spelling = spelling
    }
}

/// A store whose files are fetched from a server when first opened: its hits are `.remote`.
public protocol RemoteSymbolStore: SymbolStoreBackend, RemoteFetching {}

/// What every store of one resolver shares.
public struct StoreOptions: Sendable {
    /// Match names and keys in any case (spec §2.7).
    public var caseInsensitive: Bool
    /// When set, `file.ptr` targets must lie below one of these directories (compared after resolving
    /// symbolic links).
    public var allowedPointerRoots: [String]?
    /// Where `MSG:` pointers, skipped stores and failed cache writes are reported.
    public var logger: Logger

    public init(
        caseInsensitive: Bool = true, allowedPointerRoots: [String]? = nil,
        logger: Logger = Logger(label: "symfs.stores")
    ) {
        self.caseInsensitive = caseInsensitive
        self.logger = logger
        self.allowedPointerRoots = allowedPointerRoots?.map { root in
            var canonical = LocalFileSystem.canonicalPath(root) ?? root
            while canonical.count > 1 && canonical.hasSuffix("/") { canonical.removeLast() }
            return canonical
        }
    }

    /// Whether a pointer may lead to `target` (an absolute path).
    func allowsPointer(to target: String) -> Bool {
        guard let roots = allowedPointerRoots else { return true }
        guard let resolved = LocalFileSystem.canonicalPath(target) else { return false }
        return roots.contains { root in
            root == "/" || resolved == root || resolved.hasPrefix(root + "/")
        }
    }
}
