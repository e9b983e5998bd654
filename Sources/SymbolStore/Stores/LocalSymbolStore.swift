import Logging
import SymbolFormats

/// A symbol store in a local (or locally mounted) directory: a `cache*` directory, a store of a `srv*` chain, or
/// the default downstream store. Holds `name/key/name`, `name/key/name_` (CAB or ZIP), `name/key/file.ptr` and
/// `name/key/msfz0/name`, flat or two-tier (spec §2.1–2.6). Nothing is read until a lookup or listing asks.
public final class LocalSymbolStore: SymbolStoreBackend {
    public let root: String
    let options: StoreOptions
    private let snapshots: DirectorySnapshots

    public init(root: String, options: StoreOptions) {
        self.root = root
        self.options = options
        snapshots = DirectorySnapshots(caseInsensitive: options.caseInsensitive)
    }

    private var caseInsensitive: Bool { options.caseInsensitive }

    // MARK: Lookup

    /// Probes candidate paths only (spec §3.1 order per key directory: `name`, `name_`, `file.ptr`), trying the
    /// spellings of `SpellingCandidates` for the name and key directories.
    public func lookup(_ request: SymbolRequest) throws(SymbolStoreError) -> StoreHit? {
        guard StoreComponent.isValid(request.name), StoreComponent.isValid(request.key) else { return nil }
        let paths = StorePaths(layout: StoreLayout.of(root: root))
        let names = SpellingCandidates.names(request.name, caseInsensitive: caseInsensitive)
        let keys = SpellingCandidates.keys(request.key, caseInsensitive: caseInsensitive)
        var probed = Set<String>()
        for name in names {
            for prefix in prefixes(name, paths: paths) {
                guard LocalFileSystem.isDirectory(path(paths.nameDirectory(name, prefix: prefix))) else { continue }
                for key in keys {
                    let keyDirectory = path(paths.keyDirectory(name: name, key: key, prefix: prefix))
                    guard probed.insert(keyDirectory).inserted, LocalFileSystem.isDirectory(keyDirectory) else {
                        continue
                    }
                    let spelling = StoreSpelling(name: name, key: key)
                    let fileNames = [name] + names.filter { $0 != name }
                    if let hit = try probe(
                        spelling, fileNames: fileNames, variant: request.variant, paths: paths, prefix: prefix) {
                        return hit
                    }
                }
            }
        }
        return nil
    }

    public func holds(name: String) -> Bool {
        !existingNameDirectories(name).isEmpty
    }

    public func holds(name: String, key: String) -> Bool {
        let keys = SpellingCandidates.keys(key, caseInsensitive: caseInsensitive)
        return existingNameDirectories(name).contains { nameDirectory in
            keys.contains { LocalFileSystem.isDirectory(LocalFileSystem.join(nameDirectory, $0)) }
        }
    }

    private func existingNameDirectories(_ name: String) -> [String] {
        guard StoreComponent.isValid(name) else { return [] }
        let paths = StorePaths(layout: StoreLayout.of(root: root))
        return SpellingCandidates.names(name, caseInsensitive: caseInsensitive)
            .flatMap { name in prefixes(name, paths: paths).map { path(paths.nameDirectory(name, prefix: $0)) } }
            .filter(LocalFileSystem.isDirectory)
    }

    /// The two-tier folders a lookup of `name` tries (nil: the layout's own, or none when flat).
    private func prefixes(_ name: String, paths: StorePaths) -> [String?] {
        paths.layout == .flat ? [nil] : StoreLayout.prefixCandidates(of: name, caseInsensitive: caseInsensitive)
    }

    /// `components` below the root.
    func path(_ components: [String]) -> String {
        components.reduce(root) { LocalFileSystem.join($0, $1) }
    }

    private func probe(
        _ spelling: StoreSpelling, fileNames: [String], variant: SymbolRequest.Variant, paths: StorePaths,
        prefix: String?
    ) throws(SymbolStoreError) -> StoreHit? {
        func file(_ fileName: String, _ form: StorePaths.Form) -> String {
            path(paths.file(name: spelling.name, key: spelling.key, variant: variant, form: form,
                            fileName: fileName, prefix: prefix))
        }
        for fileName in fileNames {
            let path = file(fileName, .file)
            if let status = LocalFileSystem.status(path), status.isRegularFile {
                return try Self.hit(path, status: status, spelling: spelling, logger: options.logger)
            }
        }
        for fileName in fileNames {
            let path = file(fileName, .compressed)
            guard let status = LocalFileSystem.status(path), status.isRegularFile else { continue }
            guard CompressedArchive.hasMagic(path) else {
                options.logger.warning("\(path): neither a CAB nor a ZIP file; skipped")
                continue
            }
            return try Self.hit(path, status: status, isCompressed: true, spelling: spelling)
        }
        if variant == .plain {
            let pointer = file(spelling.name, .pointer)
            if LocalFileSystem.isRegularFile(pointer) {
                return try FilePointerFollower(options: options)
                    .follow(FilePointer.read(pointer), at: pointer, spelling: spelling)
            }
        }
        return nil
    }

    /// A file found in place. `name_` files (`isCompressed`) must be one-file CABs or ZIPs; a file under its own
    /// name is served decompressed when its content reads as one (detection by magic, not by name) and as it is
    /// otherwise, as a `.cab` or `.nupkg` filed in a store must be.
    static func hit(
        _ path: String, status: FileStatus, isCompressed: Bool = false, spelling: StoreSpelling,
        logger: Logger? = nil
    ) throws(SymbolStoreError) -> StoreHit {
        if isCompressed || CompressedArchive.hasMagic(path) {
            do throws(SymbolStoreError) {
                let archive = try CompressedArchive.reading(path)
                return StoreHit(
                    form: .compressed(path: path), size: archive.uncompressedSize,
                    modificationTime: status.modificationTime, spelling: spelling)
            } catch {
                if isCompressed { throw error }
                logger?.info("\(path): not a one-file archive (\(error.detail)); served as it is")
            }
        }
        return StoreHit(
            form: .file(path: path), size: status.size, modificationTime: status.modificationTime, spelling: spelling)
    }

    // MARK: Listing

    public func names() -> [String] {
        var found: [String] = []
        switch StoreLayout.of(root: root) {
        case .flat:
            found = LocalFileSystem.subdirectories(of: root).filter(StoreComponent.isListable)
        case .twoTier:
            for prefix in LocalFileSystem.subdirectories(of: root)
            where prefix.count <= 2 && StoreComponent.isListable(prefix) {
                found += LocalFileSystem.subdirectories(of: LocalFileSystem.join(root, prefix))
                    .filter(StoreComponent.isListable)
            }
        }
        return CaseMergedList.merge([found], caseInsensitive: caseInsensitive)
    }

    public func keys(of name: String) -> [String] {
        guard StoreComponent.isValid(name) else { return [] }
        let found = matchingNameDirectories(name).flatMap { keysHeld(in: $0, name: name).map(\.key) }
        return CaseMergedList.merge([found], caseInsensitive: caseInsensitive)
    }

    /// Every name directory, each of its key directories and what they hold, in one walk of the store.
    public func listing() -> any StoreListing {
        var contents = StoreContents(caseInsensitive: caseInsensitive)
        switch StoreLayout.of(root: root) {
        case .flat:
            for name in LocalFileSystem.subdirectories(of: root) where StoreComponent.isListable(name) {
                contents.add(name: name, keys: keysHeld(in: LocalFileSystem.join(root, name), name: name))
            }
        case .twoTier:
            for prefix in LocalFileSystem.subdirectories(of: root)
            where prefix.count <= 2 && StoreComponent.isListable(prefix) {
                let prefixDirectory = LocalFileSystem.join(root, prefix)
                for name in LocalFileSystem.subdirectories(of: prefixDirectory) where StoreComponent.isListable(name) {
                    // Listed as a name wherever it is, but its keys count only in the folder lookups search.
                    let nameDirectory = LocalFileSystem.join(prefixDirectory, name)
                    let searched = SpellingCandidates.same(
                        prefix, StoreLayout.prefix(of: name), caseInsensitive: caseInsensitive)
                    contents.add(name: name, keys: searched ? keysHeld(in: nameDirectory, name: name) : [])
                }
            }
        }
        return contents
    }

    /// The key directories of one name directory that hold some variant of `name`.
    private func keysHeld(in nameDirectory: String, name: String) -> [StoredKey] {
        LocalFileSystem.subdirectories(of: nameDirectory).compactMap { key in
            guard StoreComponent.isListable(key) else { return nil }
            let variants = variants(inKeyDirectory: LocalFileSystem.join(nameDirectory, key), name: name)
            return variants.isEmpty ? nil : StoredKey(key: key, variants: variants)
        }
    }

    public func variants(of name: String, key: String) -> Set<SymbolRequest.Variant> {
        guard StoreComponent.isValid(name), StoreComponent.isValid(key) else { return [] }
        var found = Set<SymbolRequest.Variant>()
        for nameDirectory in matchingNameDirectories(name) {
            for entry in snapshots.subdirectories(of: nameDirectory, spelled: key) {
                found.formUnion(variants(inKeyDirectory: LocalFileSystem.join(nameDirectory, entry), name: name))
            }
        }
        return found
    }

    /// The directories holding `name`'s keys, in every spelling the case rule accepts (listings read
    /// directories, kept while unchanged).
    private func matchingNameDirectories(_ name: String) -> [String] {
        switch StoreLayout.of(root: root) {
        case .flat:
            return snapshots.subdirectories(of: root, spelled: name).map { LocalFileSystem.join(root, $0) }
        case .twoTier:
            var directories: [String] = []
            for folder in snapshots.subdirectories(of: root, spelled: StoreLayout.prefix(of: name)) {
                let prefixDirectory = LocalFileSystem.join(root, folder)
                directories += snapshots.subdirectories(of: prefixDirectory, spelled: name).map {
                    LocalFileSystem.join(prefixDirectory, $0)
                }
            }
            return directories
        }
    }

    private func matching(_ wanted: String, in entries: [String]) -> [String] {
        entries.filter { StoreComponent.isListable($0) && SpellingCandidates.same($0, wanted, caseInsensitive: caseInsensitive) }
    }

    private func variants(inKeyDirectory keyDirectory: String, name: String) -> Set<SymbolRequest.Variant> {
        var found = Set<SymbolRequest.Variant>()
        let entries = LocalFileSystem.entries(of: keyDirectory) ?? []
        if holdsFile(named: name, in: entries) {
            found.insert(.plain)
        } else if entries.contains(FilePointer.fileName),
                  case .path = FilePointer.read(LocalFileSystem.join(keyDirectory, FilePointer.fileName)) {
            found.insert(.plain)
        }
        if let folder = matching(StorePaths.msfzFolder, in: entries).first,
           holdsFile(named: name, in: LocalFileSystem.entries(of: LocalFileSystem.join(keyDirectory, folder)) ?? []) {
            found.insert(.msfz0)
        }
        return found
    }

    private func holdsFile(named name: String, in entries: [String]) -> Bool {
        let compressed = StoreComponent.compressedName(name)
        return entries.contains {
            !$0.hasPrefix(StoreComponent.temporaryPrefix)
                && (SpellingCandidates.same($0, name, caseInsensitive: caseInsensitive)
                    || SpellingCandidates.same($0, compressed, caseInsensitive: caseInsensitive))
        }
    }

    // MARK: Writing (caches and downstream stores)

    /// Where this store files `name/key` in `variant` under `fileName` (`name` or `name_`), in its layout now.
    func destination(name: String, key: String, fileName: String, variant: SymbolRequest.Variant) -> String {
        path(StorePaths(layout: StoreLayout.of(root: root)).file(
            name: name, key: key, variant: variant, fileName: fileName))
    }

    /// Whether the store takes `file.ptr` pointers instead of the files they point to when a pointer's file is
    /// copied into it (a `wantsptr.txt` at its root, spec §1.1 "Cascading details").
    var wantsPointers: Bool {
        LocalFileSystem.isRegularFile(LocalFileSystem.join(root, StoreComponent.wantsPointersMarker))
    }

    /// An uncompressed copy of `request` this store already holds, in any accepted spelling.
    func plainCopy(of request: SymbolRequest) -> String? {
        guard let hit = try? lookup(request), case .file(let path) = hit.form else { return nil }
        return path
    }
}
