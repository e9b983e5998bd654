import Dispatch
import SymbolFormats
import SymbolStore
import SystemPackage
import SystemSupport
#if canImport(Glibc)
import Glibc
#endif

/// `symfs add`: one transaction that files symbol files into a store as symstore.exe does (docs/symbol-stores.md
/// §2.1–2.5), safely beside other writers and against a kill at any moment.
///
/// The order of writes is what keeps the store whole. Under the store's lock, after finishing what a killed
/// writer left: the pending record; every file and `refs.ptr` staged as a temporary file; one `syncfs`; the
/// renames; another `syncfs`; the transaction file, `server.txt`, `history.txt`; `lastid.txt`, which commits;
/// `pingme.txt`; the pending record removed. Before the commit a failure (or the next writer, after a kill) rolls
/// everything back; so `000Admin` never lists a file that is not there, and ids stay consecutive.
package struct SymbolPublisher: Sendable {
    package let root: String
    package var options: AddOptions
    /// Called as files are written: files done, bytes done.
    package var progress: @Sendable (Int, UInt64) -> Void = { _, _ in }
    /// Called once when another writer holds the store.
    package var waiting: @Sendable () -> Void = {}
    /// Seconds since the epoch, for the transaction's date.
    package var clock: @Sendable () -> Int = { Int(time(nil)) }

    package init(root: String, options: AddOptions) {
        self.root = root
        self.options = options
    }

    /// Reads every candidate's key (in parallel) and stores them in one transaction. A named file that is not a
    /// symbol file fails the whole add before anything is written; one found in a directory is skipped.
    package func add(_ candidates: [PublishInputs.Candidate], dryRun: Bool = false) throws(PublishError) -> AddReport {
        var report = AddReport()
        for (what, text) in [("product", options.product), ("version", options.version), ("comment", options.comment),
                             ("message", options.message ?? "")] where !BookkeepingText.isValid(text) {
            throw PublishError(.badInput, "the \(what) may not hold quotes or control characters: \(text.debugDescription)")
        }
        let identified = identify(candidates)
        var files: [IdentifiedFile] = []
        var seen: Set<String> = []
        for (candidate, result) in zip(candidates, identified) {
            switch result {
            case .success(let file):
                if seen.insert("\(file.name)\\\(file.key)".lowercased()).inserted { files.append(file) }
            case .failure(let error):
                if candidate.named { throw error }
                report.skipped.append((candidate.path, error.detail))
            }
        }
        guard !files.isEmpty else { return report }
        if dryRun {
            let locations = StoreLocations(root: root)
            report.files = files.map { plan($0, locations: locations, existing: existingForm(of: $0, locations: locations)).file }
            return report
        }
        try StoreFiles.makeDirectories(root)
        let lock = try StoreLock(root: root, waiting: waiting)
        defer { withExtendedLifetime(lock) {} }
        try commit(files, into: &report)
        return report
    }

    private func identify(_ candidates: [PublishInputs.Candidate]) -> [Result<IdentifiedFile, PublishError>] {
        let results = Locked([Result<IdentifiedFile, PublishError>?](repeating: nil, count: candidates.count))
        DispatchQueue.concurrentPerform(iterations: candidates.count) { index in
            let result: Result<IdentifiedFile, PublishError>
            do throws(PublishError) {
                result = .success(try IdentifiedFile(path: candidates[index].path))
            } catch {
                result = .failure(error)
            }
            results.withLock { $0[index] = result }
        }
        return results.withLock { $0.map { $0! } }
    }

    /// One file's part of the transaction.
    struct Placement {
        var file: AddReport.File
        var keyDirectory: String
        /// The file written into the key directory, if any: the copy, its CAB, or `file.ptr`.
        var written: String?
        var record: ReferenceRecord?
        var identified: IdentifiedFile
    }

    private func existingForm(of file: IdentifiedFile, locations: StoreLocations) -> String? {
        let directory = root + "/" + locations.keyDirectory(name: file.name, key: file.key)
        return [file.name, StoreLocations.compressedName(file.name)].first { StoreFiles.exists(directory + "/" + $0) }
    }

    /// Whether `file` is stored as a CAB: asked for, a copy, and small enough for one.
    private func compresses(_ file: IdentifiedFile) -> Bool {
        options.compress && !options.storesPointers && file.size < CabinetWriter.maximumSize
    }

    /// What a pointer to `file` names: its message, or its source path.
    private func pointerTarget(_ file: IdentifiedFile) -> String {
        options.message.map { PointerText.messagePrefix + $0 } ?? file.source
    }

    private func plan(_ file: IdentifiedFile, locations: StoreLocations, existing: String?, id: Int = 0) -> Placement {
        let keyDirectory = locations.keyDirectory(name: file.name, key: file.key)
        let outcome: AddReport.Outcome
        let written: String?
        if options.storesPointers {
            outcome = .pointer
            written = StoreLocations.pointerFileName
        } else if existing != nil {
            outcome = .referenced
            written = nil
        } else {
            outcome = .stored
            written = compresses(file) ? StoreLocations.compressedName(file.name) : file.name
        }
        let stored = written ?? existing ?? file.name
        let compressed = !options.storesPointers && stored == StoreLocations.compressedName(file.name)
        let record = options.references
            ? ReferenceRecord(
                id: id, content: options.storesPointers ? .ptr : .file,
                source: options.storesPointers ? pointerTarget(file) : file.source, symbols: file.symbols,
                compressed: compressed)
            : nil
        return Placement(
            file: AddReport.File(
                source: file.source, name: file.name, key: file.key, path: keyDirectory + "/" + stored,
                outcome: outcome, compressed: compressed, bytes: file.size),
            keyDirectory: keyDirectory, written: written, record: record, identified: file)
    }

    private func commit(_ files: [IdentifiedFile], into report: inout AddReport) throws(PublishError) {
        let admin = AdminDirectory(root: root)
        try StoreFiles.makeDirectories(admin.path)
        let recovery = StoreRecovery(admin: admin)
        try recovery.recover()
        let id = try admin.checkedLastID() + 1
        let locations = StoreLocations(root: root)
        let placements = files.map {
            plan($0, locations: locations, existing: existingForm(of: $0, locations: locations), id: id)
        }
        for placement in placements where placement.written != nil && options.compress && !options.storesPointers
            && !compresses(placement.identified)
        {
            report.warnings.append(
                "\(placement.identified.source): \(placement.identified.size) bytes are too many for a CAB; stored uncompressed")
        }
        let pending = PendingTransaction(
            operation: .add, id: id, serverSize: admin.size(of: admin.serverPath),
            historySize: admin.size(of: admin.historyPath),
            entries: placements.compactMap { placement in
                guard placement.written != nil || placement.record != nil else { return nil }
                let written = placement.written ?? placement.identified.name
                return PendingTransaction.Entry(
                    keyDirectory: placement.keyDirectory, fileName: written,
                    created: placement.written != nil && !StoreFiles.exists(root + "/" + placement.keyDirectory + "/" + written))
            })
        try recovery.record(pending)
        CrashPoint.pendingRecorded.reach()
        do {
            try write(placements)
            try writeBookkeeping(placements, id: id, admin: admin)
        } catch {
            // The pending record stays when the rollback fails too (a full disk), so the next writer finishes it.
            do {
                try recovery.rollBack(pending)
                try recovery.clear()
            } catch {
                throw PublishError(
                    error.kind, "\(error.detail); transaction \(StoreText.id(id)) is undone by the next add or del")
            }
            throw error
        }
        CrashPoint.committed.reach()
        report.id = id
        report.files = placements.map(\.file)
        // Committed: what fails from here on is told, but the transaction stands.
        do {
            try removeStalePointers(placements)
            touchPing()
            try recovery.clear()
        } catch {
            report.warnings.append("transaction \(StoreText.id(id)) is stored, but: \(error.detail)")
        }
    }

    /// A copy stored where a pointer was: `file.ptr` goes, as the last record is now a copy (docs/symbol-stores.md
    /// §2.4).
    private func removeStalePointers(_ placements: [Placement]) throws(PublishError) {
        guard !options.storesPointers else { return }
        for placement in placements {
            try StoreFiles.remove(root + "/" + placement.keyDirectory + "/" + StoreLocations.pointerFileName)
        }
    }

    /// Stages every file and `refs.ptr` in parallel, flushes them with one `syncfs`, renames them into place and
    /// flushes the renames.
    private func write(_ placements: [Placement]) throws(PublishError) {
        let staged = Locked<[(temporary: String, final: String)]>([])
        let failure = Locked<PublishError?>(nil)
        let done = Locked<(files: Int, bytes: UInt64)>((0, 0))
        let next = Locked(0)
        let workers = max(1, min(options.jobs, placements.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while failure.withLock({ $0 == nil }) {
                let index = next.withLock { value -> Int in defer { value += 1 }; return value }
                guard index < placements.count else { return }
                do throws(PublishError) {
                    let files = try stage(placements[index])
                    staged.withLock { $0 += files }
                    let progress = done.withLock { value -> (Int, UInt64) in
                        value.files += 1
                        value.bytes += placements[index].identified.size
                        return (value.files, value.bytes)
                    }
                    self.progress(progress.0, progress.1)
                } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                }
            }
        }
        let temporaries = staged.withLock { $0 }
        var renamed = 0
        do throws(PublishError) {
            if let error = failure.withLock({ $0 }) { throw error }
            CrashPoint.filesStaged.reach()
            try StoreFiles.syncFileSystem(holding: root)
            for file in temporaries {
                try StoreFiles.rename(file.temporary, to: file.final)
                renamed += 1
            }
            try StoreFiles.syncFileSystem(holding: root)
            CrashPoint.filesRenamed.reach()
        } catch {
            for file in temporaries[renamed...] { unlink(file.temporary) }
            throw error
        }
    }

    /// One placement's temporary files (not yet flushed) and where each goes.
    private func stage(_ placement: Placement) throws(PublishError) -> [(temporary: String, final: String)] {
        let directory = root + "/" + placement.keyDirectory
        try StoreFiles.makeDirectories(directory)
        var staged: [(temporary: String, final: String)] = []
        do {
            if let written = placement.written {
                let final = directory + "/" + written
                if written == StoreLocations.pointerFileName {
                    let text = PointerText.of(pointerTarget(placement.identified))
                    let temporary = try StoreFiles.stage(Array(text.utf8), for: final)
                    close(temporary.descriptor)
                    staged.append((temporary.path, final))
                } else {
                    staged.append((try copy(placement, to: final, compressed: placement.file.compressed), final))
                }
            }
            if let record = placement.record {
                let referencesPath = directory + "/" + ReferenceList.fileName
                var list = ReferenceList(bytes: try StoreFiles.read(referencesPath) ?? [])
                list.records.append(record)
                let temporary = try StoreFiles.stage(list.bytes, for: referencesPath)
                close(temporary.descriptor)
                staged.append((temporary.path, referencesPath))
            }
        } catch {
            for file in staged { unlink(file.temporary) }
            throw error
        }
        return staged
    }

    /// The file's copy, or its CAB, in a temporary file beside `final`.
    private func copy(_ placement: Placement, to final: String, compressed: Bool) throws(PublishError) -> String {
        let source = placement.identified.path
        let input: FileDescriptor
        do {
            input = try FileDescriptor.open(FilePath(source), .readOnly, options: .closeOnExec)
        } catch {
            throw PublishError(.posix((error as? Errno)?.rawValue ?? EIO, "cannot open", source))
        }
        defer { try? input.close() }
        guard placement.identified.isUnchanged(input.rawValue) else {
            throw PublishError(.badInput, "\(source) changed after its key was read; add it again")
        }
        let (temporary, output) = try StoreFiles.createTemporary(beside: final)
        defer { try? output.close() }
        do throws(PublishError) {
            if compressed {
                var info = stat()
                fstat(input.rawValue, &info)
                let file: RandomAccessFile
                do throws(SymbolFileError) {
                    file = try RandomAccessFile(path: source)
                } catch {
                    throw PublishError(error)
                }
                do throws(ArchiveError) {
                    try CabinetWriter.write(
                        input: file, name: placement.identified.name, modified: Int(info.st_mtim.tv_sec), to: output,
                        outputPath: temporary)
                } catch {
                    if case .output(let code) = error.cause { throw PublishError(.posix(code, "cannot write", temporary)) }
                    throw PublishError(.badInput, error.detail)
                }
            } else {
                try StoreFiles.copy(input, size: placement.identified.size, to: output, source: source, destination: temporary)
            }
        } catch {
            unlink(temporary)
            throw error
        }
        return temporary
    }

    private func writeBookkeeping(_ placements: [Placement], id: Int, admin: AdminDirectory) throws(PublishError) {
        let entries = placements.map {
            TransactionEntry(name: $0.identified.name, key: $0.identified.key, source: $0.identified.source).line
        }
        try StoreFiles.writeDurably(StoreText.joined(entries), to: admin.transactionPath(id))
        CrashPoint.transactionWritten.reach()
        let record = TransactionRecord.addition(
            id: id, content: options.storesPointers ? .ptr : .file, product: options.product,
            version: options.version, comment: options.comment, at: clock())
        try admin.appendDurably(record.line, to: admin.serverPath)
        CrashPoint.serverAppended.reach()
        try admin.appendDurably(record.line, to: admin.historyPath)
        CrashPoint.historyAppended.reach()
        try admin.writeLastID(id)
    }

    /// Sets `pingme.txt`'s modification time to now, as every transaction does (the lock made the file).
    private func touchPing() {
        utimensat(AT_FDCWD, root + "/" + StoreLocations.pingFileName, nil, 0)
    }
}
