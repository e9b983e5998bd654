
/// A plain directory of a symbol path (spec §1.3): `dir/file`, `dir/<ext>/file`, `dir/symbols/<ext>/file`, in
/// that order, `<ext>` being the requested name's extension. A file there counts as `name/KEY/name` only if the
/// key computed from its content (`SymbolFile`) matches the requested key, in any case. A directory holding
/// `pingme.txt` is a symbol store in disguise and is searched as one (spec §1.1, auto-detect).
///
/// Listings: `names()` offers the files directly in `dir` whose key can be computed (the `<ext>` and
/// `symbols/<ext>` folders are searched by lookups and `keys(of:)` but not listed, to keep listings cheap);
/// keys are remembered per file (inode, size, mtime) so repeated listings do not re-read headers.
public final class PlainDirectory: SymbolStoreBackend {
    public let root: String
    let options: StoreOptions
    private let memo = KeyMemo()

    public init(root: String, options: StoreOptions) {
        self.root = root
        self.options = options
    }

    /// The store this directory is when it holds `pingme.txt`.
    var autodetectedStore: LocalSymbolStore? {
        LocalFileSystem.isRegularFile(LocalFileSystem.join(root, "pingme.txt"))
            ? LocalSymbolStore(root: root, options: options) : nil
    }

    public func lookup(_ request: SymbolRequest) throws(SymbolSourceError) -> StoreHit? {
        guard StoreComponent.isValid(request.name), StoreComponent.isValid(request.key) else { return nil }
        if let store = autodetectedStore { return try store.lookup(request) }
        guard request.variant == .plain else { return nil }
        for path in candidates(for: request.name) {
            guard let status = LocalFileSystem.status(path), status.isRegularFile,
                  let key = memo.key(of: path, status: status),
                  key.lowercased() == request.key.lowercased() else { continue }
            return StoreHit(form: .file(path: path), size: status.size, modificationTime: status.modificationTime)
        }
        return nil
    }

    /// Candidate paths, in search order; name spellings per `SpellingCandidates`.
    private func candidates(for name: String) -> [String] {
        let names = SpellingCandidates.names(name, caseInsensitive: options.caseInsensitive)
        var directories = [root]
        if let dot = name.lastIndex(of: "."), name.index(after: dot) != name.endIndex {
            let ext = String(name[name.index(after: dot)...])
            let exts = options.caseInsensitive && ext != ext.lowercased() ? [ext, ext.lowercased()] : [ext]
            directories += exts.map { LocalFileSystem.join(root, $0) }
            directories += exts.map { LocalFileSystem.join(root, "symbols", $0) }
        }
        return directories.flatMap { directory in names.map { LocalFileSystem.join(directory, $0) } }
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
        if let store = autodetectedStore { return store.names() }
        let files = (LocalFileSystem.entries(of: root) ?? []).filter { entry in
            guard StoreComponent.isListable(entry) else { return false }
            let path = LocalFileSystem.join(root, entry)
            guard let status = LocalFileSystem.status(path), status.isRegularFile else { return false }
            return memo.key(of: path, status: status) != nil
        }
        return CaseMergedList.merge([files], caseInsensitive: options.caseInsensitive)
    }

    public func keys(of name: String) -> [String] {
        guard StoreComponent.isValid(name) else { return [] }
        if let store = autodetectedStore { return store.keys(of: name) }
        return plainKeys(of: name)
    }

    /// The keys of the files named `name` in the plain layout (no store auto-detected).
    private func plainKeys(of name: String) -> [String] {
        guard StoreComponent.isValid(name) else { return [] }
        let keys = candidates(for: name).compactMap { path -> String? in
            guard let status = LocalFileSystem.status(path), status.isRegularFile else { return nil }
            return memo.key(of: path, status: status)
        }
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
