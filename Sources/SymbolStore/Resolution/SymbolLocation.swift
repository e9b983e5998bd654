/// Where a requested file was found, with what `stat` must report before its bytes are read: the size is the
/// size of the content served (decompressed for `name_` files, the target's for `file.ptr`).
public struct SymbolLocation: Sendable, Hashable {
    /// How the content is reached.
    public enum Form: Sendable, Hashable {
        /// A plain file, served as it is.
        case file(path: String)
        /// A CAB-compressed `name_` file, served decompressed.
        case compressed(path: String)
        /// A `file.ptr` whose `PATH:` names this file.
        case pointer(pointerPath: String, target: String)
        /// A file on an HTTP symbol server, fetched on first open.
        case remote(RemoteFile)
    }

    public var request: SymbolRequest
    public var form: Form
    public var size: UInt64
    /// Seconds since the epoch.
    public var modificationTime: Int64
    /// Which element of the symbol path holds it (index into `SymbolPath.elements`).
    public var elementIndex: Int
    /// The store root (or plain directory) it was found in, for logs and stats.
    public var storeRoot: String
    /// The name and key as that store spells them, when its path does not show them as they are.
    public var spelling: StoreSpelling?

    public init(
        request: SymbolRequest, form: Form, size: UInt64, modificationTime: Int64, elementIndex: Int,
        storeRoot: String, spelling: StoreSpelling? = nil
    ) {
        self.request = request
        self.form = form
        self.size = size
        self.modificationTime = modificationTime
        self.elementIndex = elementIndex
        self.storeRoot = storeRoot
        self.spelling = spelling
    }
}

/// A file an HTTP symbol server holds, as a lookup found it.
public struct RemoteFile: Sendable, Hashable {
    /// The URL that answered (before any redirect: redirect targets are never remembered).
    public var url: String
    /// Whether the body is a CAB (`name_`), served decompressed.
    public var compressed: Bool
    /// Bytes of the body as the server sends it (the CAB's size when compressed).
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
