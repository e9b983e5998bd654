import Foundation

/// Polls (bounded) until a FUSE file system of subtype symfs is, or is no longer, mounted at `path`.
public enum MountWaiting {
    public static func isMounted(_ path: String) -> Bool {
        let resolved = (path as NSString).resolvingSymlinksInPath
        guard let table = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return false }
        return table.split(separator: "\n").contains { line in
            let fields = line.split(separator: " ")
            return fields.count > 4 && (fields[4] == resolved || fields[4] == path) && line.contains(" - fuse.symfs ")
        }
    }

    @discardableResult
    public static func waitUntil(mounted: Bool, at path: String, seconds: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if isMounted(path) == mounted { return true }
            usleep(10_000)
        }
        return isMounted(path) == mounted
    }

    /// Waits (bounded) until a file system mounted at `path` answers. A stale mount there answers ENOTCONN, and
    /// once a new daemon has detached it the bare directory answers too, so it must also be on another device
    /// than its parent.
    @discardableResult
    public static func waitUntilConnected(_ path: String, seconds: Double = 10) -> Bool {
        let parent = (path as NSString).deletingLastPathComponent
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            var mounted = stat(), beneath = stat()
            if stat(path, &mounted) == 0, stat(parent, &beneath) == 0, mounted.st_dev != beneath.st_dev,
               let directory = opendir(path) {
                closedir(directory)
                return true
            }
            usleep(10_000)
        } while Date() < deadline
        return false
    }

    /// Unmounts `path` (lazily if busy) and waits until the table says so.
    public static func unmount(_ path: String) {
        if umount2(path, 0) != 0, errno == EBUSY { umount2(path, Int32(MNT_DETACH)) }
        waitUntil(mounted: false, at: path, seconds: 10)
    }

    /// Unmounts the dead symfs mounts that earlier test runs left under /tmp (a test process killed mid-test);
    /// once per process, and never a live mount, which may belong to a test running now.
    public static func sweepStaleTestMounts() {
        _ = sweptOnce
    }

    private static let sweptOnce: Void = {
        guard let table = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return }
        for line in table.split(separator: "\n") where line.contains(" - fuse.symfs ") {
            let fields = line.split(separator: " ")
            guard fields.count > 4, fields[4].hasPrefix("/tmp/symfs-") else { continue }
            let mountpoint = String(fields[4])
            let descriptor = open(mountpoint, O_RDONLY | O_DIRECTORY)
            if descriptor >= 0 {
                close(descriptor)
            } else if errno == ENOTCONN {
                umount2(mountpoint, Int32(MNT_DETACH))
            }
        }
    }()
}
