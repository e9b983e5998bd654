import CLinux
import SymbolStore
import SystemPackage
import SystemSupport
#if canImport(Glibc)
import Glibc
#endif

/// The file operations of a store writer. Every file reaches its name by rename from a temporary file in the same
/// directory (`.symfs-tmp-PID-…`, which the mount and listings skip), after its bytes are on disk, so a reader or
/// a crash never sees part of one. Files and directories are made with the umask's permissions (a store shared
/// by a group stays writable by it), and a replaced file keeps its mode.
enum StoreFiles {
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// The whole of a small file (bookkeeping); nil when it does not exist.
    static func read(_ path: String) throws(PublishError) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw PublishError(.posix(errno, "cannot open", path))
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw PublishError(.posix(errno, "cannot read", path))
            }
            if count == 0 { return bytes }
            bytes += buffer[..<count]
        }
    }

    /// Makes `directory` and any parents it lacks.
    static func makeDirectories(_ directory: String) throws(PublishError) {
        if isDirectory(directory) { return }
        let parent = parentDirectory(directory)
        if parent != directory, !parent.isEmpty { try makeDirectories(parent) }
        if mkdir(directory, 0o777) != 0 && errno != EEXIST {
            throw PublishError(.posix(errno, "cannot create directory", directory))
        }
    }

    static func parentDirectory(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// A new, empty temporary file beside `finalPath`, open for writing.
    static func createTemporary(beside finalPath: String) throws(PublishError) -> (path: String, descriptor: FileDescriptor) {
        let directory = parentDirectory(finalPath)
        for _ in 0..<16 {
            let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
            let path = directory + "/" + StoreComponent.temporaryPrefix + "\(getpid())-" + suffix
            let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if descriptor >= 0 { return (path, FileDescriptor(rawValue: descriptor)) }
            if errno != EEXIST { throw PublishError(.posix(errno, "cannot create a temporary file in", directory)) }
        }
        throw PublishError(.posix(EEXIST, "cannot create a temporary file in", directory))
    }

    /// Writes `bytes` to `path` at once durably: temporary file, fsync, rename, fsync of the directory.
    static func writeDurably(_ bytes: [UInt8], to path: String) throws(PublishError) {
        let temporary = try stage(bytes, for: path)
        var existing = stat()
        if stat(path, &existing) == 0 { fchmod(temporary.descriptor, existing.st_mode & 0o7777) }
        let flushed = fsync(temporary.descriptor) == 0
        let code = errno
        close(temporary.descriptor)
        guard flushed else {
            unlink(temporary.path)
            throw PublishError(.posix(code, "cannot flush", path))
        }
        guard Glibc.rename(temporary.path, path) == 0 else {
            let code = errno
            unlink(temporary.path)
            throw PublishError(.posix(code, "cannot rename a file to", path))
        }
        syncDirectory(parentDirectory(path))
    }

    /// A temporary file beside `path` holding `bytes`, still open, not yet flushed.
    static func stage(_ bytes: [UInt8], for path: String) throws(PublishError) -> (path: String, descriptor: Int32) {
        let (temporary, descriptor) = try createTemporary(beside: path)
        do {
            _ = try bytes.withUnsafeBytes { try descriptor.writeAll($0) }
        } catch {
            try? descriptor.close()
            unlink(temporary)
            throw PublishError(.posix((error as? Errno)?.rawValue ?? EIO, "cannot write", temporary))
        }
        return (temporary, descriptor.rawValue)
    }

    static func rename(_ from: String, to: String) throws(PublishError) {
        guard Glibc.rename(from, to) == 0 else { throw PublishError(.posix(errno, "cannot rename a file to", to)) }
    }

    /// Removes `path` if it is there.
    static func remove(_ path: String) throws(PublishError) {
        guard unlink(path) == 0 || errno == ENOENT || errno == ENOTDIR else {
            throw PublishError(.posix(errno, "cannot remove", path))
        }
    }

    /// Removes `directory` and then its parent when they are empty; stops at the first that is not.
    static func removeEmptyDirectories(_ directory: String, levels: Int) {
        var current = directory
        for _ in 0..<levels {
            // A directory already gone (a kill before it was made) does not stop its parent's removal.
            guard rmdir(current) == 0 || errno == ENOENT else { return }
            current = parentDirectory(current)
        }
    }

    static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    /// Flushes everything written to the file system that holds `root`: one call for a whole transaction's
    /// files instead of one fsync each.
    static func syncFileSystem(holding root: String) throws(PublishError) {
        let descriptor = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw PublishError(.posix(errno, "cannot open", root)) }
        defer { close(descriptor) }
        guard clinux_syncfs(descriptor) == 0 else { throw PublishError(.posix(errno, "cannot flush the store at", root)) }
    }

    /// The raw names in `directory` (without `.` and `..`); nil when it cannot be read.
    static func entryNames(of directory: String) -> [[UInt8]]? {
        guard let handle = opendir(directory) else { return nil }
        defer { closedir(handle) }
        var names: [[UInt8]] = []
        while let entry = readdir(handle) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if bytes != [0x2E] && bytes != [0x2E, 0x2E] { names.append(bytes) }
        }
        return names
    }

    /// Temporary files in `directory` whose writing process is gone (a killed add), removed.
    static func removeAbandonedTemporaries(in directory: String) {
        let prefix = Array(StoreComponent.temporaryPrefix.utf8)
        for bytes in entryNames(of: directory) ?? [] where bytes.starts(with: prefix) {
            let name = String(decoding: bytes, as: UTF8.self)
            let rest = name.dropFirst(StoreComponent.temporaryPrefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]),
                  ProcessLiveness.hasExited(pid) else { continue }
            unlink(directory + "/" + name)
        }
    }

    /// Copies all of `input` into `output` in the kernel (`copy_file_range`, falling back to read and write where
    /// the file systems cannot), in constant memory.
    static func copy(_ input: FileDescriptor, size: UInt64, to output: FileDescriptor, source: String, destination: String)
        throws(PublishError)
    {
        var done: UInt64 = 0
        var kernelCopy = true
        var buffer: [UInt8] = []
        while done < size {
            let want = Int(min(size - done, 1 << 30))
            if kernelCopy {
                let copied = clinux_copy_file_range(input.rawValue, output.rawValue, want)
                if copied > 0 {
                    done += UInt64(copied)
                    continue
                }
                if copied == 0 { throw PublishError(.badInput, "\(source): the file shrank while it was read") }
                if errno == EINTR { continue }
                guard [EXDEV, EINVAL, ENOSYS, EOPNOTSUPP, EBADF].contains(errno) else {
                    throw PublishError(.posix(errno, "cannot copy \(source) to", destination))
                }
                kernelCopy = false
                buffer = [UInt8](repeating: 0, count: 1 << 20)
            }
            let count: Int
            do {
                count = try buffer.withUnsafeMutableBytes {
                    try input.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[..<min(want, $0.count)]))
                }
            } catch {
                throw PublishError(.posix((error as? Errno)?.rawValue ?? EIO, "cannot read", source))
            }
            if count == 0 { throw PublishError(.badInput, "\(source): the file shrank while it was read") }
            do {
                _ = try buffer[..<count].withUnsafeBytes { try output.writeAll($0) }
            } catch {
                throw PublishError(.posix((error as? Errno)?.rawValue ?? EIO, "cannot write", destination))
            }
            done += UInt64(count)
        }
    }
}
