import SystemSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The listable subdirectories of store directories, grouped by spelling under the case rule, kept while a
/// directory's `stat` says it is unchanged: a case-insensitive `keys(of:)` or `variants(of:key:)` then costs
/// one `stat` of the root instead of a listing of every name. A listing is kept only when the directory's
/// last change is older than the listing by `settling`, so a change made within the same timestamp tick,
/// after the listing was read, cannot go unseen.
final class DirectorySnapshots: @unchecked Sendable {
    private struct Stamp: Equatable {
        var device: UInt64
        var inode: UInt64
        var modified: Int64
        var changed: Int64
    }

    private struct Snapshot {
        var stamp: Stamp
        var subdirectories: [String: [String]]
    }

    static let capacity = 4096
    static let settling: Int64 = 1_000_000_000
    private let caseInsensitive: Bool
    private let lock = ConditionLock()
    private var snapshots: [String: Snapshot] = [:]

    init(caseInsensitive: Bool) {
        self.caseInsensitive = caseInsensitive
    }

    /// The listable subdirectories of `directory` spelled as `name` is under the case rule, in directory order.
    func subdirectories(of directory: String, spelled name: String) -> [String] {
        guard let stamp = Self.stamp(directory) else { return [] }
        if let snapshot = lock.withLock({ snapshots[directory] }), snapshot.stamp == stamp {
            return snapshot.subdirectories[folded(name)] ?? []
        }
        let listedAt = Self.now()
        let subdirectories = Dictionary(
            grouping: LocalFileSystem.subdirectories(of: directory).filter(StoreComponent.isListable), by: folded)
        if max(stamp.modified, stamp.changed) + Self.settling < listedAt {
            lock.withLock {
                if snapshots.count >= Self.capacity { snapshots.removeAll(keepingCapacity: true) }
                snapshots[directory] = Snapshot(stamp: stamp, subdirectories: subdirectories)
            }
        }
        return subdirectories[folded(name)] ?? []
    }

    private func folded(_ text: String) -> String {
        caseInsensitive ? text.lowercased() : text
    }

    private static func stamp(_ directory: String) -> Stamp? {
        var info = stat()
        guard stat(directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return nil }
        #if canImport(Darwin)
        let (modified, changed) = (info.st_mtimespec, info.st_ctimespec)
        #else
        let (modified, changed) = (info.st_mtim, info.st_ctim)
        #endif
        return Stamp(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), modified: nanoseconds(modified),
            changed: nanoseconds(changed))
    }

    private static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return nanoseconds(spec)
    }

    private static func nanoseconds(_ spec: timespec) -> Int64 {
        Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }
}
