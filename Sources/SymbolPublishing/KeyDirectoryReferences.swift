/// One key directory's `refs.ptr` and what follows from it (docs/symbol-stores.md §2.4): the file stays while
/// some transaction stored a copy, `file.ptr` says what the last record points at, and an empty directory goes.
struct KeyDirectoryReferences {
    let directory: String
    let depth: Int

    init(root: String, keyDirectory: String) {
        directory = root + "/" + keyDirectory
        depth = keyDirectory.split(separator: "/").count
    }

    var referencesPath: String { directory + "/" + ReferenceList.fileName }
    var pointerPath: String { directory + "/" + StoreLocations.pointerFileName }

    func references() throws(PublishError) -> ReferenceList? {
        try StoreFiles.read(referencesPath).map(ReferenceList.init(bytes:))
    }

    /// `refs.ptr` without `id`'s records (removed when none remain); returns what remains, nil without a refs.ptr.
    func dropReferences(of id: Int) throws(PublishError) -> ReferenceList? {
        guard var list = try references() else { return nil }
        let before = list.records.count
        list.records.removeAll { $0.id == id }
        if list.records.isEmpty {
            try StoreFiles.remove(referencesPath)
        } else if list.records.count != before {
            try StoreFiles.writeDurably(list.bytes, to: referencesPath)
        }
        return list
    }

    /// Makes `file.ptr` say what `list`'s last record points at, or removes it when that is a copy.
    func reconcilePointer(with list: ReferenceList) throws(PublishError) {
        if let text = list.pointerText {
            try StoreFiles.writeDurably(Array(text.utf8), to: pointerPath)
        } else {
            try StoreFiles.remove(pointerPath)
        }
    }

    /// Undoes what add `id` did here: its record, and the file it created (a `file.ptr` it replaced goes back to
    /// what the remaining records say).
    func rollBack(_ entry: PendingTransaction.Entry, id: Int) throws(PublishError) {
        let remaining = try dropReferences(of: id)
        if !entry.created, entry.fileName == StoreLocations.pointerFileName, let remaining {
            try reconcilePointer(with: remaining)
        }
        StoreFiles.removeEmptyDirectories(directory, levels: depth)
    }

    /// Carries deletion `pending` through every key directory it names (idempotent: a second run finds nothing
    /// left to do).
    static func release(_ pending: PendingTransaction, admin: AdminDirectory) throws(PublishError) {
        guard let deleted = pending.deleted else { return }
        var stillListed: Set<String>?
        for entry in pending.entries {
            let references = KeyDirectoryReferences(root: admin.root, keyDirectory: entry.keyDirectory)
            // A copy that no refs.ptr record keeps stays while another live transaction lists it (PyPI symstore
            // and --no-refs write no records); those are read only then.
            func listedElsewhere() throws(PublishError) -> Bool {
                if stillListed == nil { stillListed = try admin.listedKeyDirectories(except: deleted) }
                return stillListed!.contains(entry.keyDirectory.lowercased())
            }
            if try references.references() == nil {
                try references.release(name: entry.fileName, keep: try listedElsewhere())
            } else {
                try references.release(name: entry.fileName, id: deleted, listedElsewhere: listedElsewhere)
            }
        }
    }

    /// Deletion `id` here: its records leave refs.ptr, the file goes with the last copy, `file.ptr` follows
    /// the last remaining record.
    func release(
        name: String, id: Int, listedElsewhere: () throws(PublishError) -> Bool
    ) throws(PublishError) {
        guard let remaining = try dropReferences(of: id) else { return }
        if !remaining.holdsFile, try !listedElsewhere() { try removeCopies(of: name) }
        try reconcilePointer(with: remaining)
        StoreFiles.removeEmptyDirectories(directory, levels: depth)
    }

    /// Deletion in a key directory without `refs.ptr`.
    func release(name: String, keep: Bool) throws(PublishError) {
        guard !keep else { return }
        try removeCopies(of: name)
        try StoreFiles.remove(pointerPath)
        StoreFiles.removeEmptyDirectories(directory, levels: depth)
    }

    private func removeCopies(of name: String) throws(PublishError) {
        try StoreFiles.remove(directory + "/" + name)
        try StoreFiles.remove(directory + "/" + StoreLocations.compressedName(name))
    }
}
