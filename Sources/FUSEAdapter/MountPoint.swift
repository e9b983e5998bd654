import Logging
import SymbolStore
#if canImport(Glibc)
import Glibc
#endif

/// Checks on a mountpoint before mounting: it must be an existing directory that nothing is mounted on, except
/// a dead FUSE mount left by a crash ("Transport endpoint is not connected"), which is cleared.
public enum MountPoint {
    public static func prepare(_ path: String, logger: Logger) throws(MountError) {
        if let type = mountedFileSystemType(at: path) {
            guard isDisconnected(path) else {
                throw MountError("mountpoint \(path) is busy: a \(type) file system is already mounted there")
            }
            logger.warning("clearing a stale mount left by a crashed daemon", metadata: ["mountpoint": "\(path)"])
            try clearStaleMount(path)
        }
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw MountError("mountpoint \(path): \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            throw MountError("mountpoint \(path) is not a directory")
        }
    }

    /// Whether the file system at `path` is a FUSE mount whose daemon is gone. Opening the directory always
    /// reaches the daemon; a cached `stat` may not.
    static func isDisconnected(_ path: String) -> Bool {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if descriptor >= 0 {
            close(descriptor)
            return false
        }
        return errno == ENOTCONN
    }

    static func clearStaleMount(_ path: String) throws(MountError) {
        if geteuid() == 0 {
            guard umount2(path, Int32(MNT_DETACH)) == 0 else {
                throw MountError("cannot clear the stale mount on \(path): \(String(cString: strerror(errno)))")
            }
            return
        }
        var pid: pid_t = 0
        let arguments = ["fusermount3", "-u", "-z", path]
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        guard posix_spawnp(&pid, "fusermount3", nil, nil, &argv, environ) == 0 else {
            throw MountError("cannot run fusermount3 to clear the stale mount on \(path)")
        }
        var result: Int32 = 0
        waitpid(pid, &result, 0)
        guard result == 0 else { throw MountError("fusermount3 -u -z \(path) failed") }
    }

    /// The type of the file system mounted exactly at `path`, from /proc/self/mountinfo.
    public static func mountedFileSystemType(at path: String) -> String? {
        guard let file = fopen("/proc/self/mountinfo", "r") else { return nil }
        defer { fclose(file) }
        let resolved = LocalFileSystem.canonicalPath(path) ?? path
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0 {
            let fields = String(cString: line!).split(separator: " ")
            // mountinfo: id parent major:minor root mountpoint options [optional…] - type source super
            guard fields.count > 7, let dash = fields.firstIndex(of: "-"), dash + 1 < fields.count else { continue }
            if unescape(String(fields[4])) == resolved { return String(fields[dash + 1]) }
        }
        return nil
    }

    /// mountinfo writes space, tab, newline and backslash as octal escapes.
    static func unescape(_ field: String) -> String {
        var result = ""
        var characters = Array(field)[...]
        while let character = characters.popFirst() {
            if character == "\\", characters.count >= 3, let code = UInt8(String(characters.prefix(3)), radix: 8) {
                result.append(Character(UnicodeScalar(code)))
                characters = characters.dropFirst(3)
            } else {
                result.append(character)
            }
        }
        return result
    }
}
