/// The listing of a plain directory, filled while reading its root and the folders lookups search. A name's
/// keys are those of the files a lookup of that spelling would try (`PlainDirectory.candidates`), taken from
/// what was read; only a candidate in a folder the walk did not read, or a file it read but did not list, is
/// asked of the disk.
struct PlainDirectoryContents: StoreListing {
    private let directory: PlainDirectory
    private var listed: [String] = []
    private var keysByPath: [String: String] = [:]
    private var entriesByDirectory: [String: Set<String>] = [:]
    private var foldersByBase: [String: [String]] = [:]
    private var folderPaths = Set<String>()

    init(directory: PlainDirectory) {
        self.directory = directory
    }

    var names: [String] {
        CaseMergedList.merge([listed], caseInsensitive: directory.options.caseInsensitive)
    }

    func keys(of name: String) -> [StoredKey] {
        let keys = directory.candidates(for: name, existing: hasFolder).compactMap { folder, entry -> String? in
            let path = LocalFileSystem.join(folder, entry)
            if let key = keysByPath[path] { return key }
            if let entries = entriesByDirectory[folder], !entries.contains(entry) { return nil }
            return directory.key(at: path)
        }
        return CaseMergedList.merge([keys], caseInsensitive: directory.options.caseInsensitive).map {
            StoredKey(key: $0, variants: [.plain])
        }
    }

    mutating func addFolders(_ folders: [String], of base: String) {
        foldersByBase[base] = folders
        folderPaths.formUnion(folders.map { LocalFileSystem.join(base, $0) })
    }

    func folders(of base: String) -> [String] {
        foldersByBase[base] ?? []
    }

    /// Whether the walk saw `path` as a folder of the root or of `root/symbols`.
    func hasFolder(_ path: String) -> Bool {
        folderPaths.contains(path)
    }

    mutating func addEntries(_ entries: [String], of directory: String) {
        entriesByDirectory[directory] = Set(entries)
    }

    mutating func addFile(_ entry: String, path: String, key: String) {
        listed.append(entry)
        keysByPath[path] = key
    }
}
