import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `stat` says about a path, reduced to what stores need.
struct FileStatus: Sendable, Hashable {
    var isDirectory: Bool
    var isRegularFile: Bool
    var size: UInt64
    /// Seconds since the epoch.
    var modificationTime: Int64
    var device: UInt64
    var inode: UInt64
}

/// The few POSIX calls stores make, with errno kept. Every function takes a full path built from validated
/// components (`StoreComponent`).
public enum LocalFileSystem {
    /// `stat` (following symbolic links); nil when the path does not exist or cannot be reached.
    static func status(_ path: String) -> FileStatus? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let type = info.st_mode & S_IFMT
        #if canImport(Darwin)
        let seconds = Int64(info.st_mtimespec.tv_sec)
        #else
        let seconds = Int64(info.st_mtim.tv_sec)
        #endif
        return FileStatus(
            isDirectory: type == S_IFDIR, isRegularFile: type == S_IFREG, size: UInt64(info.st_size),
            modificationTime: seconds, device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    static func isDirectory(_ path: String) -> Bool { status(path)?.isDirectory ?? false }
    static func isRegularFile(_ path: String) -> Bool { status(path)?.isRegularFile ?? false }

    /// The entries of a directory (without `.` and `..`); nil when it cannot be read.
    package static func entries(of directory: String) -> [String]? {
        typedEntries(of: directory)?.map(\.name)
    }

    /// The entries of a directory that are directories themselves (by `d_type`, or `stat` where the file
    /// system does not say); empty when it cannot be read.
    static func subdirectories(of directory: String) -> [String] {
        (typedEntries(of: directory) ?? []).compactMap { name, type in
            type == UInt8(DT_DIR) || ((type == UInt8(DT_UNKNOWN) || type == UInt8(DT_LNK))
                && isDirectory(join(directory, name))) ? name : nil
        }
    }

    /// The entries of a directory (without `.` and `..`) with their `d_type`; nil when it cannot be read.
    private static func typedEntries(of directory: String) -> [(name: String, type: UInt8)]? {
        typedEntries(opendir(directory))
    }

    /// The entries of the directory open as `descriptor` (which stays open), with their `d_type`.
    static func typedEntries(ofDescriptor descriptor: Int32) -> [(name: String, type: UInt8)]? {
        let copy = dup(descriptor)
        guard copy >= 0 else { return nil }
        guard let handle = fdopendir(copy) else {
            close(copy)
            return nil
        }
        return typedEntries(handle)
    }

    private static func typedEntries(_ handle: OpaquePointer?) -> [(name: String, type: UInt8)]? {
        guard let handle else { return nil }
        defer { closedir(handle) }
        var entries: [(name: String, type: UInt8)] = []
        while let entry = readdir(handle) {
            // The kernel's record is only `d_reclen` bytes long: the name is read up to its NUL through a pointer,
            // never by copying the struct's fixed 256-byte array, which can reach past the end of the buffer.
            let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
            let name = String(cString: (UnsafeRawPointer(entry) + nameOffset).assumingMemoryBound(to: CChar.self))
            if name != "." && name != ".." { entries.append((name, entry.pointee.d_type)) }
        }
        return entries
    }

    /// Up to `limit` bytes from the start of a file; nil when it cannot be read.
    package static func readPrefix(_ path: String, limit: Int) -> [UInt8]? {
        guard let file = try? FileDescriptor.open(FilePath(path), .readOnly, options: .closeOnExec) else { return nil }
        defer { try? file.close() }
        var bytes = [UInt8](repeating: 0, count: limit)
        var done = 0
        while done < limit {
            guard let count = try? bytes.withUnsafeMutableBytes({ buffer in
                try file.read(fromAbsoluteOffset: Int64(done), into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]))
            }) else { return nil }
            if count == 0 { break }
            done += count
        }
        return Array(bytes[..<done])
    }

    /// Opens a complete local file read-only for a client.
    static func openReadOnly(_ path: String) throws(SymbolStoreError) -> OpenedSymbolFile {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .posix(errno, "cannot open", path) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let code = errno
            close(descriptor)
            throw .posix(code, "cannot stat", path)
        }
        return OpenedSymbolFile(descriptor: descriptor, size: UInt64(info.st_size), path: path)
    }

    /// The directory part of a path.
    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func join(_ directory: String, _ components: String...) -> String {
        var path = directory
        for component in components {
            if !path.hasSuffix("/") { path += "/" }
            path += component
        }
        return path
    }

    /// `realpath`, or nil when the path does not resolve.
    public static func canonicalPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
