import SymbolStore
#if canImport(Glibc)
import Glibc
#endif

/// The mounted tree over a symbol path, with no FUSE types in it: the FUSE adapter maps requests to these
/// calls and their results to replies, and tests drive it directly.
///
/// ```
/// /pingme.txt                  marks a symbol store for clients given the mount as a plain path
/// /.symfs/stats                counters
/// /.symfs/flat/<KEY>.<name>    every stored file, for Wine's dbghelp
/// /<name>/<key>/<name>         a symbol file, found lazily down the symbol path
/// /<name>/<key>/msfz0/<name>   its MSFZ form
/// ```
public final class SymbolFileSystem: Sendable {
    public let statistics = FileSystemStatistics()
    let source: any SymbolSource
    let options: FileSystemOptions
    let inodes = InodeTable()
    let openFiles = OpenFileTable()
    let startTime: Int64

    public init(source: any SymbolSource, options: FileSystemOptions = FileSystemOptions()) {
        self.source = source
        self.options = options
        startTime = Int64(time(nil))
    }

    public static let rootInode = InodeTable.rootInode

    // MARK: Lookup

    public func lookup(parent: UInt64, name: String) -> LookupResult {
        FileSystemStatistics.bump(statistics.lookups)
        guard let parentNode = inodes.slot(parent)?.node else { return .failed(errno: ENOENT) }
        guard parentNode.isDirectory else { return .failed(errno: ENOTDIR) }
        let child: Child?
        do {
            child = try resolve(name, in: parentNode, parent: parent)
        } catch {
            FileSystemStatistics.bump(statistics.errors)
            return .failed(errno: error.errno)
        }
        guard let (node, location, provisional) = child else {
            FileSystemStatistics.bump(statistics.lookupMisses)
            if case .file = Self.fileNode(in: parentNode, name: name) { FileSystemStatistics.bump(statistics.fileMisses) }
            return .missing(timeout: options.negativeTimeout)
        }
        if location != nil { FileSystemStatistics.bump(statistics.fileHits) }
        let inode = inodes.remember(node, location: location)
        let attributes = self.attributes(of: node, inode: inode, location: location)
        var timeout = timeouts(for: node)
        // A name or key directory that no local store holds exists only because a server may hold anything: the
        // kernel keeps it no longer than a miss, so a storm of unknown names does not pile up inodes for a day.
        if provisional { timeout.entry = min(timeout.entry, options.negativeTimeout) }
        return .found(Entry(attributes: attributes, entryTimeout: timeout.entry, attributeTimeout: timeout.attributes))
    }

    public func forget(inode: UInt64, count: UInt64) {
        inodes.forget(inode, count: count)
    }

    /// The child named `name` of a directory, or nil when there is none.
    /// A child found by `resolve`: its node, what its lookup found, and whether it is a directory only a server
    /// could fill (no local store holds it).
    private typealias Child = (node: Node, location: ResolvedSymbol?, provisional: Bool)

    /// Whether a directory exists, and whether only a server could fill it; local stores are asked first, so a
    /// directory they hold costs one round of checks.
    private func presence(local: () throws(SymbolStoreError) -> Bool, any: () throws(SymbolStoreError) -> Bool)
        throws(SymbolStoreError) -> Bool? {
        if try local() { return false }
        return try any() ? true : nil
    }

    private func resolve(_ name: String, in parentNode: Node, parent: UInt64) throws(SymbolStoreError) -> Child? {
        guard StoreComponent.isValid(name) else { return nil }
        if name == ReservedNames.caseInsensitivityMarker {
            return options.caseInsensitive ? (.caseInsensitivityMarker(parent: parent), nil, false) : nil
        }
        switch parentNode {
        case .root:
            switch name {
            case ReservedNames.pingme: return (.pingme, nil, false)
            case ReservedNames.control: return (.control, nil, false)
            case _ where options.caseInsensitive && name.lowercased() == ReservedNames.pingme:
                return (.pingme, nil, false)  // Windows clients (through Samba) may ask it in any case
            default:
                guard !ReservedNames.isHiddenAtRoot(name), let provisional = try presence(
                    local: { () throws(SymbolStoreError) in try source.holdsLocally(name: name) },
                    any: { () throws(SymbolStoreError) in try source.mayHold(name: name) }) else { return nil }
                return (.name(name), nil, provisional)
            }
        case .control:
            switch name {
            case ReservedNames.statistics: return (.statistics, nil, false)
            case ReservedNames.flatView: return (.flatView, nil, false)
            default: return nil
            }
        case .flatView:
            guard let request = FlatViewName.request(from: name), let location = try source.locate(request) else {
                return nil
            }
            return (.flatFile(request), location, false)
        case .name(let symbolName):
            guard let provisional = try presence(
                local: { () throws(SymbolStoreError) in try source.holdsLocally(name: symbolName, key: name) },
                any: { () throws(SymbolStoreError) in try source.mayHold(name: symbolName, key: name) }) else {
                return nil
            }
            return (.key(name: symbolName, key: name), nil, provisional)
        case .key(let symbolName, let key) where name == ReservedNames.msfz:
            guard try source.variants(of: symbolName, key: key).contains(.msfz0) else { return nil }
            return (.msfzDirectory(name: symbolName, key: key), nil, false)
        case .key(let symbolName, _), .msfzDirectory(let symbolName, _):
            // A file in `name/key/` must be spelled as `name` (in any case when case-insensitive).
            guard SpellingCandidates.same(name, symbolName, caseInsensitive: options.caseInsensitive),
                  case .file(let request) = Self.fileNode(in: parentNode, name: name),
                  let location = try source.locate(request) else {
                return nil
            }
            return (.file(request), location, false)
        case .pingme, .caseInsensitivityMarker, .statistics, .flatFile, .file:
            return nil
        }
    }

    /// The file node `name` would be in a key or msfz0 directory.
    static func fileNode(in parent: Node, name: String) -> Node? {
        switch parent {
        case .key(_, let key): return .file(SymbolRequest(name: name, key: key))
        case .msfzDirectory(_, let key): return .file(SymbolRequest(name: name, key: key, variant: .msfz0))
        default: return nil
        }
    }

    /// The file system's counters, then the symbol path's (hits per element, downloads, cache writes).
    var statisticsText: String {
        statistics.text + source.statisticsText
    }

    // MARK: Attributes

    public func attributes(of inode: UInt64) -> Result<(NodeAttributes, timeout: Double), FileSystemError> {
        guard let slot = inodes.slot(inode) else { return .failure(FileSystemError(ENOENT)) }
        return .success((attributes(of: slot.node, inode: inode, location: slot.location),
                         timeouts(for: slot.node).attributes))
    }

    private func attributes(of node: Node, inode: UInt64, location: ResolvedSymbol?) -> NodeAttributes {
        var attributes = NodeAttributes(
            inode: inode, kind: node.isDirectory ? .directory : .file, size: 0, modificationTime: startTime,
            uid: options.uid, gid: options.gid)
        if let location {
            attributes.size = location.size
            attributes.modificationTime = location.modificationTime
        } else if node == .statistics {
            attributes.size = UInt64(statisticsText.utf8.count)
        }
        return attributes
    }

    private func timeouts(for node: Node) -> (entry: Double, attributes: Double) {
        switch node {
        case .statistics: return (0, 0)
        case .root, .name, .flatView: return (options.positiveTimeout, options.directoryTimeout)
        default: return (options.positiveTimeout, options.positiveTimeout)
        }
    }

    // MARK: Directories

    /// Every entry of a directory, `.` and `..` first; listings read the stores when asked.
    public func list(directory inode: UInt64) -> Result<[DirectoryEntry], FileSystemError> {
        guard let node = inodes.slot(inode)?.node else { return .failure(FileSystemError(ENOENT)) }
        guard node.isDirectory else { return .failure(FileSystemError(ENOTDIR)) }
        var children: [(name: String, node: Node)] = []
        func add(_ name: String, _ child: Node) {
            children.append((name, child))
        }
        if options.caseInsensitive {
            add(ReservedNames.caseInsensitivityMarker, .caseInsensitivityMarker(parent: inode))
        }
        do {
            switch node {
            case .root:
                add(ReservedNames.pingme, .pingme)
                add(ReservedNames.control, .control)
                for name in try source.names() where !ReservedNames.isHiddenAtRoot(name) {
                    add(name, .name(name))
                }
            case .control:
                add(ReservedNames.statistics, .statistics)
                add(ReservedNames.flatView, .flatView)
            case .flatView:
                for file in try source.storedFiles()
                where file.variants.contains(.plain) && StoreComponent.isValid(file.name)
                    && StoreComponent.isValid(file.key) {
                    let request = SymbolRequest(name: file.name, key: file.key)
                    add(FlatViewName.name(for: request), .flatFile(request))
                }
            case .name(let name):
                for key in try source.keys(of: name) where StoreComponent.isValid(key) {
                    add(key, .key(name: name, key: key))
                }
            case .key(let name, let key):
                let variants = try source.variants(of: name, key: key)
                if variants.contains(.plain) { add(name, .file(SymbolRequest(name: name, key: key))) }
                if variants.contains(.msfz0) { add(ReservedNames.msfz, .msfzDirectory(name: name, key: key)) }
            case .msfzDirectory(let name, let key):
                if try source.variants(of: name, key: key).contains(.msfz0) {
                    add(name, .file(SymbolRequest(name: name, key: key, variant: .msfz0)))
                }
            case .pingme, .caseInsensitivityMarker, .statistics, .flatFile, .file:
                break
            }
        } catch {
            FileSystemStatistics.bump(statistics.errors)
            return .failure(FileSystemError(error.errno))
        }
        let known = inodes.existing(children.map(\.node))
        let entries = [DirectoryEntry(name: ".", isDirectory: true, inode: inode),
                       DirectoryEntry(name: "..", isDirectory: true, inode: inode)]
            + zip(children, known).map { child, number in
                DirectoryEntry(name: child.name, isDirectory: child.node.isDirectory, inode: number ?? Self.unknownInode)
            }
        return .success(entries)
    }

    /// Lists a directory once for a sequence of paginated reads.
    public func openDirectory(inode: UInt64) -> Result<UInt64, FileSystemError> {
        list(directory: inode).map { openFiles.add(.listing($0)) }
    }

    /// The entries of an open directory from `offset` on.
    public func readDirectory(handle: UInt64, from offset: Int) -> Result<ArraySlice<DirectoryEntry>, FileSystemError> {
        guard case .listing(let entries) = openFiles.content(handle) else { return .failure(FileSystemError(EBADF)) }
        return .success(entries[min(max(offset, 0), entries.count)...])
    }

    /// What a listing reports for children the kernel holds no inode for (it does not use the number).
    static let unknownInode: UInt64 = 0xFFFF_FFFF

    // MARK: Files

    /// Opens a file for reading; anything else is EROFS.
    public func open(inode: UInt64, flags: Int32) -> Result<OpenedFile, FileSystemError> {
        guard flags & O_ACCMODE == O_RDONLY, flags & (O_TRUNC | O_CREAT) == 0 else {
            return .failure(FileSystemError(EROFS))
        }
        guard let slot = inodes.slot(inode) else { return .failure(FileSystemError(ENOENT)) }
        FileSystemStatistics.bump(statistics.opens)
        switch slot.node {
        case .pingme, .caseInsensitivityMarker:
            return .success(OpenedFile(handle: openFiles.add(.bytes([])), keepCache: true, directIO: false))
        case .statistics:
            return .success(OpenedFile(
                handle: openFiles.add(.bytes(Array(statisticsText.utf8))), keepCache: false, directIO: true))
        case .file, .flatFile:
            guard let location = slot.location else { return .failure(FileSystemError(EIO)) }
            do {
                let opened = try source.open(location)
                // Resolved again: pages the kernel kept may be another file's, and the size it keeps (for a day)
                // may be another's too, so this open drops them and, if the size changed, bypasses the cache.
                let fresh = opened.resolved
                if let fresh { inodes.update(inode, location: fresh) }
                return .success(OpenedFile(
                    handle: openFiles.add(.descriptor(opened.descriptor, size: opened.size,
                                                      availability: opened.availability)),
                    keepCache: fresh == nil, directIO: fresh.map { $0.size != location.size } ?? false))
            } catch {
                FileSystemStatistics.bump(statistics.errors)
                return .failure(FileSystemError(error.errno))
            }
        default:
            return .failure(FileSystemError(EISDIR))
        }
    }

    /// Where the bytes of a read come from; never more than the file holds past `offset`.
    public func read(handle: UInt64, offset: UInt64, size: Int) -> Result<ReadSource, FileSystemError> {
        guard let content = openFiles.content(handle) else { return .failure(FileSystemError(EBADF)) }
        let result: ReadSource
        switch content {
        case .listing:
            return .failure(FileSystemError(EISDIR))
        case .descriptor(let descriptor, let fileSize, let availability):
            let length = offset >= fileSize ? 0 : Int(min(UInt64(size), fileSize - offset))
            if let availability, length > 0 {
                do {
                    try availability.waitForBytes(offset..<offset + UInt64(length))
                } catch {
                    FileSystemStatistics.bump(statistics.errors)
                    return .failure(FileSystemError(error.readErrno))
                }
            }
            result = .descriptor(descriptor, offset: offset, length: length)
            // Only symbol files count: reading the statistics must not change them.
            FileSystemStatistics.bump(statistics.reads)
            FileSystemStatistics.bump(statistics.bytesRead, by: length)
        case .bytes(let bytes):
            let start = Int(min(offset, UInt64(bytes.count)))
            result = .bytes(Array(bytes[start..<min(bytes.count, start + size)]))
        }
        return .success(result)
    }

    public func release(handle: UInt64) {
        openFiles.remove(handle)
    }
}

/// An open file handle and how the kernel should cache it.
public struct OpenedFile: Sendable, Equatable {
    public var handle: UInt64
    /// Keep the page cache across opens (FOPEN_KEEP_CACHE): content under a key never changes.
    public var keepCache: Bool
    /// Bypass the page cache (the statistics file, whose size changes).
    public var directIO: Bool
}

/// The bytes a read answers with.
public enum ReadSource: Sendable, Equatable {
    /// `length` bytes of an open descriptor at `offset` (served by pread or splice).
    case descriptor(Int32, offset: UInt64, length: Int)
    case bytes([UInt8])

    public var length: Int {
        switch self {
        case .descriptor(_, _, let length): return length
        case .bytes(let bytes): return bytes.count
        }
    }
}

/// An errno for a failed file system call.
public struct FileSystemError: Error, Sendable, Equatable {
    public var errno: Int32
    public init(_ errno: Int32) { self.errno = errno }
}
