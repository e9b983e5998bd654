import SymbolFormats
import SystemSupport

/// A plain directory of a symbol path (spec §1.3): `dir/file`, `dir/<ext>/file`, `dir/symbols/<ext>/file`, in
/// that order, `<ext>` being the module's extension. A request by name does not say which module a `.pdb` or
/// `.dbg` belongs to, so those are looked for under their own extension and then every image extension
/// (`symbols/dll/ntdll.pdb`, as Windows symbol packages install them). A file there counts as `name/KEY/name`
/// only if the key computed from its content (`SymbolFile`) matches the requested key, in any case. A directory
/// holding `pingme.txt` is a symbol store in disguise and is searched as one (spec §1.1, auto-detect).
///
/// Listings offer every file a lookup would find whose key can be computed; keys are remembered per file
/// (inode, size, mtime) so repeated listings do not re-read headers.
public final class PlainDirectory: SymbolStoreBackend {
    public let root: String
    let options: StoreOptions
    private let memo = KeyMemo()
    /// One instance, so what it keeps of its directories serves every call.
    private let store: LocalSymbolStore

    public init(root: String, options: StoreOptions) {
        self.root = root
        self.options = options
        store = LocalSymbolStore(root: root, options: options)
    }

    /// The store this directory is when it holds `pingme.txt`.
    var autodetectedStore: LocalSymbolStore? {
        LocalFileSystem.isRegularFile(LocalFileSystem.join(root, "pingme.txt")) ? store : nil
    }

    public func lookup(_ request: SymbolRequest) throws(SymbolStoreError) -> StoreHit? {
        guard StoreComponent.isValid(request.name), StoreComponent.isValid(request.key) else { return nil }
        if let store = autodetectedStore { return try store.lookup(request) }
        guard request.variant == .plain else { return nil }
        for path in candidates(for: request.name) {
            guard let status = LocalFileSystem.status(path), status.isRegularFile,
                  let key = memo.key(of: path, status: status),
                  key.lowercased() == request.key.lowercased() else { continue }
            // Copies are filed under the file's own name and Microsoft's spelling of its key.
            let spelling = StoreSpelling(
                name: String(path[path.index(after: path.lastIndex(of: "/")!)...]),
                key: SpellingCandidates.canonicalKey(request.key))
            return StoreHit(
                form: .file(path: path), size: status.size, modificationTime: status.modificationTime, spelling: spelling)
        }
        return nil
    }

    /// Candidate paths, in search order; name spellings per `SpellingCandidates`.
    private func candidates(for name: String) -> [String] {
        candidates(for: name, existing: LocalFileSystem.isDirectory).map {
            LocalFileSystem.join($0.directory, $0.entry)
        }
    }

    /// Candidates in the directories `existing` says are there (asked of `root/symbols` before its folders).
    func candidates(for name: String, existing: (String) -> Bool) -> [(directory: String, entry: String)] {
        let names = SpellingCandidates.names(name, caseInsensitive: options.caseInsensitive)
        let folders = extensionFolders(for: name)
        var directories = [root]
        if !folders.isEmpty {
            directories += folders.map { LocalFileSystem.join(root, $0) }.filter(existing)
            let symbols = LocalFileSystem.join(root, Self.symbolsFolder)
            if existing(symbols) {
                directories += folders.map { LocalFileSystem.join(symbols, $0) }.filter(existing)
            }
        }
        return directories.flatMap { directory in names.map { (directory, $0) } }
    }

    static let symbolsFolder = "symbols"
    private static let listedFolders = SymbolContent.imageExtensions.union(SymbolContent.symbolExtensions)

    /// The `<ext>` folders a file named `name` may be in, in search order.
    private func extensionFolders(for name: String) -> [String] {
        guard let ext = Self.fileExtension(name) else { return [] }
        var folders = [ext]
        if options.caseInsensitive && ext != ext.lowercased() { folders.append(ext.lowercased()) }
        if SymbolContent.symbolExtensions.contains(ext.lowercased()) {
            folders += SymbolContent.imageExtensionList.filter { !folders.contains($0) }
        }
        return folders
    }

    /// Whether a lookup of `file` searches the `<ext>` folder `folder`, spelled as it is on disk.
    private func searches(_ folder: String, for file: String) -> Bool {
        extensionFolders(for: file).contains(folder)
    }

    private static func fileExtension(_ name: String) -> String? {
        guard let dot = name.lastIndex(of: "."), name.index(after: dot) != name.endIndex else { return nil }
        return String(name[name.index(after: dot)...])
    }

    public func holds(name: String) -> Bool {
        guard StoreComponent.isValid(name) else { return false }
        if let store = autodetectedStore { return store.holds(name: name) }
        return candidates(for: name).contains(where: LocalFileSystem.isRegularFile)
    }

    public func holds(name: String, key: String) -> Bool {
        if let store = autodetectedStore { return store.holds(name: name, key: key) }
        return plainVariants(of: name, key: key).contains(.plain)
    }

    public func names() -> [String] {
        listing().names
    }

    /// The root and the folders lookups search, each read once: every file there whose key can be computed.
    public func listing() -> any StoreListing {
        if let store = autodetectedStore { return store.listing() }
        var contents = PlainDirectoryContents(directory: self)
        contents.addFolders(LocalFileSystem.subdirectories(of: root), of: root)
        readFiles(in: root, into: &contents) { _ in true }
        let symbols = LocalFileSystem.join(root, Self.symbolsFolder)
        if contents.hasFolder(symbols) {
            contents.addFolders(LocalFileSystem.subdirectories(of: symbols), of: symbols)
        }
        // Only folders named for a module or symbol file kind are read: a plain directory may hold anything else.
        for base in [root, symbols] {
            for folder in contents.folders(of: base) where Self.listedFolders.contains(folder.lowercased()) {
                readFiles(in: LocalFileSystem.join(base, folder), into: &contents) { searches(folder, for: $0) }
            }
        }
        return contents
    }

    /// Adds the entries of `directory`, and the key of each file that `accept` takes and whose key can be computed.
    private func readFiles(
        in directory: String, into contents: inout PlainDirectoryContents, accept: (String) -> Bool
    ) {
        let entries = LocalFileSystem.entries(of: directory) ?? []
        contents.addEntries(entries, of: directory)
        for entry in entries where StoreComponent.isListable(entry) && accept(entry) {
            let path = LocalFileSystem.join(directory, entry)
            if let key = key(at: path) { contents.addFile(entry, path: path, key: key) }
        }
    }

    /// The key of the regular file at `path`, when it can be computed.
    func key(at path: String) -> String? {
        guard let status = LocalFileSystem.status(path), status.isRegularFile else { return nil }
        return memo.key(of: path, status: status)
    }

    public func keys(of name: String) -> [String] {
        guard StoreComponent.isValid(name) else { return [] }
        if let store = autodetectedStore { return store.keys(of: name) }
        return plainKeys(of: name)
    }

    /// The keys of the files named `name` in the plain layout (no store auto-detected).
    private func plainKeys(of name: String) -> [String] {
        guard StoreComponent.isValid(name) else { return [] }
        let keys = candidates(for: name).compactMap(key(at:))
        return CaseMergedList.merge([keys], caseInsensitive: options.caseInsensitive)
    }

    public func variants(of name: String, key: String) -> Set<SymbolRequest.Variant> {
        if let store = autodetectedStore { return store.variants(of: name, key: key) }
        return plainVariants(of: name, key: key)
    }

    private func plainVariants(of name: String, key: String) -> Set<SymbolRequest.Variant> {
        plainKeys(of: name).contains { $0.lowercased() == key.lowercased() } ? [.plain] : []
    }
}

/// Keys computed from plain files, remembered while the file's identity (inode, size, mtime) is unchanged.
private final class KeyMemo: @unchecked Sendable {
    private struct Entry {
        var status: FileStatus
        var key: String?
    }

    private static let capacity = 4096
    private let lock = ConditionLock()
    private var entries: [String: Entry] = [:]

    func key(of path: String, status: FileStatus) -> String? {
        if let entry = lock.withLock({ entries[path] }), entry.status == status {
            return entry.key
        }
        let key = try? SymbolFile(path: path).key
        lock.withLock {
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[path] = Entry(status: status, key: key)
        }
        return key
    }
}
