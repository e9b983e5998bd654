#if canImport(Glibc)
import Glibc
#endif

/// Removes key directories from a cache, least recently used first, as AgeStore does (docs/symbol-stores.md
/// §4.2), safely beside daemons that read and fill the same cache:
/// - a key directory goes whole: renamed aside in one step, then its files unlinked; a file open elsewhere
///   stays readable to its holder (unlinked, never truncated);
/// - one whose files changed since the scan (a file used or arriving meanwhile) is left alone, and so is one
///   holding a live writer's temporary file, whose folder then stays for its rename;
/// - `inUse` (a mount's open files, a server's downloads) keeps others;
/// - empty name directories go too, unless asked to stay; never `pingme.txt`, `index2.txt` or `000Admin/`.
package struct CachePruner: Sendable {
    package struct Report: Sendable {
        package var removed: [CachedKeyDirectory] = []
        package var removedBytes: UInt64 = 0
        package var keptBytes: UInt64 = 0
        package var kept = 0
        /// Leftovers of writers that were gone, removed.
        package var leftovers: [String] = []
        /// Key directories that were chosen but changed, were in use, or could not be removed, with why.
        package var skipped: [(relativePath: String, reason: String)] = []
    }

    package var keepEmptyDirectories = false
    /// Relative key directory paths (`name/KEY`, in the cache's spelling) that must stay.
    package var inUse: @Sendable (String) -> Bool = { _ in false }

    package init() {}

    /// The key directories `limits` remove from `scan`, least recently used first.
    package static func plan(_ scan: CacheScan, limits: [PruneLimit]) -> [CachedKeyDirectory] {
        let ordered = scan.keyDirectories.sorted { ($0.lastUse, $0.relativePath) < ($1.lastUse, $1.relativePath) }
        var total = scan.totalBytes
        var chosen: [CachedKeyDirectory] = []
        for directory in ordered where !directory.isBeingWritten {
            let tooOld = limits.contains { if case .usedSince(let since) = $0 { directory.lastUse < since } else { false } }
            let tooBig = limits.contains { if case .totalBytes(let maximum) = $0 { total > maximum } else { false } }
            guard tooOld || tooBig else { continue }
            chosen.append(directory)
            total -= directory.bytes
        }
        return chosen
    }

    /// Removes `chosen` (from `plan`) and the leftovers in `scan`.
    package func prune(_ scan: CacheScan, removing chosen: [CachedKeyDirectory]) -> Report {
        var report = Report()
        for leftover in scan.leftovers {
            guard let parent = Self.openParent(of: leftover, root: scan.root) else { continue }
            if Self.removeTree(parent.name, in: parent.descriptor) { report.leftovers.append(leftover) }
            close(parent.descriptor)
        }
        for directory in chosen {
            if inUse(directory.relativePath) {
                report.skipped.append((directory.relativePath, "in use"))
                continue
            }
            if let reason = remove(directory, root: scan.root) {
                report.skipped.append((directory.relativePath, reason))
            } else {
                report.removed.append(directory)
                report.removedBytes += directory.bytes
            }
        }
        if !keepEmptyDirectories {
            for name in scan.nameDirectories.reversed() { rmdir(scan.root + "/" + name) }
        }
        report.keptBytes = scan.totalBytes - report.removedBytes
        report.kept = scan.keyDirectories.count - report.removed.count
        return report
    }

    /// Removes one key directory as scanned; nil when it went, or why it stays. The directory is first renamed
    /// aside (`.symfs-tmp-PID-prune-…`, which lookups skip): no reader ever sees it half removed, and a prune
    /// killed midway leaves only a leftover the next one clears. What was renamed aside is measured again; if a
    /// file was used, arrived or is being written meanwhile, it is put back. Everything happens relative to the
    /// folders opened from the root down without following symbolic links, so a folder someone swapped for a
    /// link after the scan cannot steer a removal out of the cache.
    private func remove(_ directory: CachedKeyDirectory, root: String) -> String? {
        guard let parent = Self.openParent(of: directory.relativePath, root: root) else {
            return errno == ENOENT ? nil : "cannot open its folder: \(String(cString: strerror(errno)))"
        }
        defer { close(parent.descriptor) }
        let aside = StoreComponent.temporaryPrefix + "\(getpid())-prune-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        guard renameat(parent.descriptor, parent.name, parent.descriptor, aside) == 0 else {
            return errno == ENOENT ? nil : "cannot remove it: \(String(cString: strerror(errno)))"
        }
        var measured = CacheScan(root: root)
        var now = CachedKeyDirectory(relativePath: directory.relativePath, bytes: 0, lastUse: 0)
        measured.measure(&now, "/proc/self/fd/\(parent.descriptor)/\(aside)", depth: 0)
        let writing = now.isBeingWritten
        if writing || now.lastUse > directory.lastUse || now.bytes != directory.bytes {
            // Put back unless the name was made again meanwhile (then that copy stays, and this one is spare).
            if renameat(parent.descriptor, aside, parent.descriptor, parent.name) == 0 {
                return writing ? "a file is being written into it" : "used or changed since the scan"
            }
        }
        return Self.removeTree(aside, in: parent.descriptor)
            ? nil : "cannot remove \(aside): \(String(cString: strerror(errno)))"
    }

    /// The folder holding the last component of `relativePath`, opened one component at a time from `root`
    /// without following symbolic links (ELOOP or ENOTDIR when one is a link), and that last component.
    static func openParent(of relativePath: String, root: String) -> (descriptor: Int32, name: String)? {
        var components = relativePath.split(separator: "/").map(String.init)
        guard let name = components.popLast() else { return nil }
        var descriptor = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        for component in components where descriptor >= 0 {
            let next = openat(descriptor, component, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
            let failure = errno
            close(descriptor)
            errno = failure
            descriptor = next
        }
        return descriptor >= 0 ? (descriptor, name) : nil
    }

    /// Removes `name` in the folder `parent`: a file or link unlinked, a folder emptied (two levels down: key
    /// subfolders, download folders) and removed; links are never followed.
    @discardableResult
    static func removeTree(_ name: String, in parent: Int32, depth: Int = 0) -> Bool {
        if unlinkat(parent, name, 0) == 0 || errno == ENOENT { return true }
        guard depth < 3 else { return false }
        let folder = openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
        guard folder >= 0 else { return false }
        defer { close(folder) }
        for entry in LocalFileSystem.typedEntries(ofDescriptor: folder) ?? [] {
            removeTree(entry.name, in: folder, depth: depth + 1)
        }
        return unlinkat(parent, name, AT_REMOVEDIR) == 0 || errno == ENOENT
    }
}
