import SystemPackage
import SystemSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files into caches so that a cache never holds a partial file (spec §3.6, §7 #4): the content goes
/// into a temporary file in the target directory (named `.symfs-tmp-…`), is flushed with `fsync`, and is
/// renamed over the final name. On any failure the temporary file is removed and the errno is kept.
enum AtomicFileWriter {
    /// Makes `directory` and its parents; returns the directories it made, outermost first.
    @discardableResult
    static func makeDirectories(_ directory: String) throws(SymbolStoreError) -> [String] {
        if LocalFileSystem.isDirectory(directory) { return [] }
        let parent = LocalFileSystem.parent(directory)
        var made: [String] = []
        if parent != directory, !parent.isEmpty { made = try makeDirectories(parent) }
        var created = mkdir(directory, 0o755) == 0
        if !created && errno == ENOENT && parent != directory && !parent.isEmpty {
            // A prune removed the parent, left empty, after it was made.
            made += try makeDirectories(parent)
            created = mkdir(directory, 0o755) == 0
        }
        if created {
            made.append(directory)
        } else if errno != EEXIST {
            let code = errno
            removeEmpty(made)
            throw .posix(code, "cannot create directory", directory)
        }
        return made
    }

    /// Removes directories this writer made, innermost first, where they are still empty, so a failed write
    /// leaves no empty `name/key` folders for listings to show.
    private static func removeEmpty(_ made: [String]) {
        for directory in made.reversed() where rmdir(directory) != 0 { return }
    }

    /// Creates `finalPath` with content that `produce` writes into the temporary path it is given (which exists,
    /// empty, when `produce` runs). `expectedSize`, when given, is allocated once and released before `produce`
    /// runs, so a disk without room fails before any work with a plain ENOSPC (libmspack reports write failures
    /// without errno), and the result's size is checked after.
    static func write(
        _ finalPath: String, expectedSize: UInt64?, produce: (String) throws(SymbolStoreError) -> Void
    ) throws(SymbolStoreError) {
        let directory = LocalFileSystem.parent(finalPath)
        var made: [String] = []
        var created: (String, Int32)?
        // A prune may remove the folders between their creation and the temporary's (`removeEmptyDirectory`).
        for attempt in 1...Self.attempts where created == nil {
            made += try makeDirectories(directory)
            removeAbandonedTemporaries(in: directory)
            do throws(SymbolStoreError) {
                created = try createTemporary(in: directory)
            } catch {
                guard error.kind == .notFound, attempt < Self.attempts else {
                    removeEmpty(made)
                    throw error
                }
            }
        }
        guard let (temporary, descriptor) = created else { throw .posix(ENOENT, "cannot create", directory) }
        var succeeded = false
        defer {
            if !succeeded {
                unlink(temporary)
                removeEmpty(made)
            }
        }
        if let expectedSize, expectedSize > 0 {
            let result = posix_fallocate(descriptor, 0, off_t(expectedSize))
            if result != 0 && result != EOPNOTSUPP && result != EINVAL && result != ENOSYS {
                close(descriptor)
                throw .posix(result, "cannot reserve \(expectedSize) bytes for", finalPath)
            }
            _ = ftruncate(descriptor, 0)
        }
        close(descriptor)
        try produce(temporary)
        try flush(temporary, expectedSize: expectedSize)
        // The folder holds the temporary file, so no prune removes it before the rename.
        guard rename(temporary, finalPath) == 0 else {
            throw .posix(errno, "cannot rename a temporary file to", finalPath)
        }
        succeeded = true
        syncDirectory(directory)
    }

    static let attempts = 3

    /// Renames `source` (outside `destination`'s folder) to `destination`, making the folders first, again when
    /// a prune removed them in between.
    static func renameCreatingDirectories(_ source: String, to destination: String) throws(SymbolStoreError) {
        var code: Int32 = ENOENT
        for attempt in 1...attempts {
            try makeDirectories(LocalFileSystem.parent(destination))
            if rename(source, destination) == 0 { return }
            code = errno
            guard code == ENOENT, attempt < attempts, LocalFileSystem.status(source) != nil else { break }
        }
        throw .posix(code, "cannot rename to", destination)
    }

    /// Copies `source` to the temporary file `destination` (which exists, empty).
    static func copy(_ source: String, to destination: String) throws(SymbolStoreError) {
        let input = try openDescriptor(source, .readOnly)
        defer { try? input.close() }
        let output = try openDescriptor(destination, .writeOnly, options: .truncate)
        defer { try? output.close() }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count: Int
            do {
                count = try buffer.withUnsafeMutableBytes { try input.read(into: $0) }
            } catch {
                throw .posix((error as? Errno)?.rawValue ?? EIO, "cannot read", source)
            }
            if count == 0 { return }
            do {
                _ = try buffer[..<count].withUnsafeBytes { try output.writeAll($0) }
            } catch {
                throw .posix((error as? Errno)?.rawValue ?? EIO, "cannot write", destination)
            }
        }
    }

    /// Writes `bytes` to the temporary file `destination` (which exists, empty).
    static func writeBytes(_ bytes: [UInt8], to destination: String) throws(SymbolStoreError) {
        let output = try openDescriptor(destination, .writeOnly, options: .truncate)
        defer { try? output.close() }
        do {
            _ = try bytes.withUnsafeBytes { try output.writeAll($0) }
        } catch {
            throw .posix((error as? Errno)?.rawValue ?? EIO, "cannot write", destination)
        }
    }

    private static func openDescriptor(
        _ path: String, _ mode: FileDescriptor.AccessMode, options: FileDescriptor.OpenOptions = []
    ) throws(SymbolStoreError) -> FileDescriptor {
        do {
            return try FileDescriptor.open(FilePath(path), mode, options: options.union(.closeOnExec))
        } catch {
            throw .posix((error as? Errno)?.rawValue ?? EIO, "cannot open", path)
        }
    }

    /// Removes temporary files that a process no longer running left in `directory` (a daemon killed mid-copy):
    /// the next write of a file is where its leftover is found, at the cost of listing one small folder.
    static func removeAbandonedTemporaries(in directory: String) {
        for entry in LocalFileSystem.entries(of: directory) ?? [] where entry.hasPrefix(StoreComponent.temporaryPrefix) {
            let rest = entry.dropFirst(StoreComponent.temporaryPrefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]),
                  ProcessLiveness.hasExited(pid) else { continue }
            unlink(LocalFileSystem.join(directory, entry))
        }
    }

    private static func createTemporary(in directory: String) throws(SymbolStoreError) -> (String, Int32) {
        for _ in 0..<16 {
            let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
            let path = LocalFileSystem.join(directory, StoreComponent.temporaryPrefix + "\(getpid())-" + suffix)
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if descriptor >= 0 { return (path, descriptor) }
            if errno != EEXIST { throw .posix(errno, "cannot create a temporary file in", directory) }
        }
        throw .posix(EEXIST, "cannot create a temporary file in", directory)
    }

    private static func flush(_ path: String, expectedSize: UInt64?) throws(SymbolStoreError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .posix(errno, "cannot open", path) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw .posix(errno, "cannot flush", path) }
        if let expectedSize, let status = LocalFileSystem.status(path), status.size != expectedSize {
            throw SymbolStoreError(
                .internal, "\(path): wrote \(status.size) bytes, expected \(expectedSize)")
        }
    }

    private static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}
