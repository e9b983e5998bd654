/// A file found down a symbol path, as the resolver found it: its content's form and size, and the store that
/// holds it in its place in the path, with the name and key as that store spells them. Front ends keep it between
/// a lookup and an open and hand it back: nothing is decoded again from a path or a URL.
public struct ResolvedSymbol: Sendable {
    /// How the content is reached.
    public enum Form: Sendable, Hashable {
        /// A plain file, served as it is.
        case file(path: String)
        /// A CAB- or ZIP-compressed `name_` file, served decompressed.
        case compressed(path: String)
        /// A `file.ptr` (a path, or the URL it was fetched from) whose `PATH:` names this local file.
        case pointer(pointerPath: String, target: String)
        /// A file on an HTTP symbol server, fetched on first open.
        case remote(RemoteFile)

        /// Whether this is the local file at `path` itself (not a copy or a decompressed form of it).
        func isAt(_ path: String) -> Bool {
            switch self {
            case .file(let file): file == path
            case .pointer(_, let target): target == path
            case .compressed, .remote: false
            }
        }
    }

    public let request: SymbolRequest
    public let form: Form
    /// The size of the content served (decompressed for `name_` files, the target's for `file.ptr`).
    public let size: UInt64
    /// Seconds since the epoch.
    public let modificationTime: Int64
    /// The store that holds it.
    package let origin: PlacedStore
    /// The name and key as that store spells them: copies into caches are filed under the same spelling.
    package let spelling: StoreSpelling

    package init(request: SymbolRequest, hit: StoreHit, origin: PlacedStore) {
        self.request = request
        form = hit.form
        size = hit.size
        modificationTime = hit.modificationTime
        self.origin = origin
        spelling = hit.spelling
    }

    /// The same file, as another spelling of its request asked for it.
    func asked(as request: SymbolRequest) -> ResolvedSymbol {
        ResolvedSymbol(
            request: request,
            hit: StoreHit(form: form, size: size, modificationTime: modificationTime, spelling: spelling),
            origin: origin)
    }

    /// Which element of the symbol path holds it.
    public var elementIndex: Int { origin.elementIndex }
    /// The store root (or plain directory, or server URL) it was found in.
    public var storeRoot: String { origin.store.root }
}

/// A file an HTTP symbol server holds, as a lookup found it.
public struct RemoteFile: Sendable, Hashable {
    /// The URL that answered (before any redirect: redirect targets are never remembered).
    public var url: String
    /// Whether the body is a CAB or ZIP (`name_`), served decompressed.
    public var compressed: Bool
    /// Bytes of the body as the server sends it (the archive's size when compressed).
    public var transferSize: UInt64
    /// Whether the server answered a Range request with 206.
    public var acceptsRanges: Bool
    /// The first bytes of the body, as the lookup's probe read them: the download starts after them, so the
    /// file's bytes cross the network once.
    public var prefix: [UInt8]

    public init(url: String, compressed: Bool, transferSize: UInt64, acceptsRanges: Bool, prefix: [UInt8] = []) {
        self.url = url
        self.compressed = compressed
        self.transferSize = transferSize
        self.acceptsRanges = acceptsRanges
        self.prefix = prefix
    }
}
