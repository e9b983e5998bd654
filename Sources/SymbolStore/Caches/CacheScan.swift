import SystemSupport
#if canImport(Glibc)
import Glibc
#endif

/// What a cache directory holds, read in one walk: its key directories with their sizes and last uses, its name
/// directories, and what killed writers left (temporary files of processes that are gone, download folders of
/// daemons that are gone). Stores that `symfs add` or symstore.exe manage (`000Admin/`) are refused: those are
/// pruned by deleting transactions, never behind their bookkeeping's back.
package struct CacheScan: Sendable {
    package var root: String
    package var keyDirectories: [CachedKeyDirectory] = []
    /// Name directories (two-tier prefix directories too, each before what it holds), below the root.
    package var nameDirectories: [String] = []
    /// Below the root: leftovers of writers that are gone, files or folders.
    package var leftovers: [String] = []

    package var totalBytes: UInt64 { keyDirectories.reduce(0) { $0 + $1.bytes } }

    package static func scan(_ root: String) throws(SymbolStoreError) -> CacheScan {
        var info = stat()
        guard stat(root, &info) == 0 else { throw .posix(errno, "cannot read", root) }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw SymbolStoreError(.internal, "\(root) is not a directory")
        }
        guard let entries = DirectoryEntries.read(root) else { throw .posix(errno, "cannot read", root) }
        if entries.names.contains(where: { $0.lowercased() == "000admin" }) {
            throw SymbolStoreError(
                .permission, "\(root) is a store managed with 000Admin (symstore.exe, symfs add): remove its transactions with symfs del")
        }
        var scan = CacheScan(root: root)
        let twoTier = entries.names.contains { $0.lowercased() == "index2.txt" }
        for name in entries.names {
            if name.hasPrefix(StoreComponent.temporaryPrefix) {
                scan.leftovers += Self.abandoned(in: root, folder: name)
                continue
            }
            guard entries.isDirectory(name), StoreComponent.isListable(name) else { continue }
            if twoTier && name.utf8.count <= 2 {
                guard let prefixEntries = DirectoryEntries.read(root + "/" + name) else { continue }
                scan.nameDirectories.append(name)
                for nested in prefixEntries.names where prefixEntries.isDirectory(nested) && StoreComponent.isListable(nested) {
                    scan.scanName(name + "/" + nested)
                }
            } else {
                scan.scanName(name)
            }
        }
        return scan
    }

    private mutating func scanName(_ name: String) {
        guard let keys = DirectoryEntries.read(root + "/" + name) else { return }
        for key in keys.names {
            if key.hasPrefix(StoreComponent.temporaryPrefix) {
                if Self.isAbandonedTemporary(key) { leftovers.append(name + "/" + key) }
                continue
            }
            guard keys.isDirectory(key), StoreComponent.isListable(key), Self.isKey(key) else { continue }
            var directory = CachedKeyDirectory(relativePath: name + "/" + key, bytes: 0, lastUse: 0)
            measure(&directory, root + "/" + directory.relativePath, depth: 0)
            keyDirectories.append(directory)
        }
        nameDirectories.append(name)
    }

    /// Adds the files below `path` (a key directory, and one level of subfolders such as `msfz0/`).
    mutating func measure(_ directory: inout CachedKeyDirectory, _ path: String, depth: Int) {
        guard let files = DirectoryEntries.read(path) else { return }
        for file in files.names {
            var info = stat()
            guard fstatat(files.descriptor, file, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFDIR {
                if depth == 0 { measure(&directory, path + "/" + file, depth: 1) }
                continue
            }
            if file.hasPrefix(StoreComponent.temporaryPrefix) {
                if Self.isAbandonedTemporary(file) {
                    leftovers.append(String(decoding: path.utf8.dropFirst(root.utf8.count + 1), as: UTF8.self) + "/" + file)
                } else {
                    directory.isBeingWritten = true
                }
                continue
            }
            directory.bytes += UInt64(max(0, info.st_size))
            directory.lastUse = max(directory.lastUse, UseRecord.lastUse(info))
        }
    }

    /// Whether a folder name has the shape of a symbol store key (hex digits: TimeDateStamp and SizeOfImage, a
    /// GUID and age, a signature and age, a build id): only such folders are pruned, so a prune pointed at the
    /// wrong directory (`/var/cache` for `/var/cache/symfs`) removes nothing that is not a symbol file's.
    static func isKey(_ name: String) -> Bool {
        (8...80).contains(name.utf8.count) && name.utf8.allSatisfy { byte in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
        }
    }

    /// `.symfs-tmp-PID-…` of a process that is gone.
    private static func isAbandonedTemporary(_ name: String) -> Bool {
        let rest = name.dropFirst(StoreComponent.temporaryPrefix.count)
        guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]) else { return false }
        return ProcessLiveness.hasExited(pid)
    }

    /// In a top-level temporary folder (the downloads folder, `.symfs-tmp-downloads/PID/`): the folders of
    /// daemons that are gone. A top-level temporary file of a process that is gone is itself a leftover.
    private static func abandoned(in root: String, folder: String) -> [String] {
        guard let entries = DirectoryEntries.read(root + "/" + folder) else {
            return isAbandonedTemporary(folder) ? [folder] : []
        }
        return entries.names.filter { name in
            guard let pid = Int32(name) else { return false }
            return ProcessLiveness.hasExited(pid)
        }.map { folder + "/" + $0 }
    }
}

/// A directory's entries (without `.` and `..`) with whether each is a directory, read through one open
/// descriptor kept for `fstatat`.
final class DirectoryEntries {
    let descriptor: Int32
    let names: [String]
    private let directories: Set<String>

    private init(descriptor: Int32, names: [String], directories: Set<String>) {
        self.descriptor = descriptor
        self.names = names
        self.directories = directories
    }

    /// Nil when `path` is not a directory that can be read (a symbolic link is not followed).
    static func read(_ path: String) -> DirectoryEntries? {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { return nil }
        guard let entries = LocalFileSystem.typedEntries(ofDescriptor: descriptor) else {
            close(descriptor)
            return nil
        }
        var directories: Set<String> = []
        for (name, type) in entries {
            var info = stat()
            if type == UInt8(DT_DIR)
                || (type == UInt8(DT_UNKNOWN) && fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0
                    && info.st_mode & S_IFMT == S_IFDIR)
            {
                directories.insert(name)
            }
        }
        return DirectoryEntries(descriptor: descriptor, names: entries.map(\.name), directories: directories)
    }

    func isDirectory(_ name: String) -> Bool { directories.contains(name) }

    deinit { close(descriptor) }
}
