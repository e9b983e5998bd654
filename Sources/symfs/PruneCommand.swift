import ArgumentParser
import Foundation
import SymbolStore

struct PruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove the least recently used files of a symbol cache, as agestore.exe does.",
        discussion: """
            A file's last use is when symfs mount or symfs serve last opened it (recorded on the file, at most \
            once an hour, whatever the mount's atime options), or its arrival when it was never opened. Whole key \
            directories (name/KEY/) go, then empty name directories; pingme.txt, index2.txt and 000Admin/ never. \
            Stores with 000Admin/ are refused: delete their transactions with symfs del. Temporary files and \
            download folders that stopped processes left are removed too. Safe beside a mount or server using \
            the cache: a file used or arriving meanwhile stays, and a file open elsewhere stays readable.
            """
    )

    @Argument(help: "The cache directory.")
    var directory: String

    @Option(help: "Remove what was last used more than N days ago.")
    var days: Int?

    @Option(help: ArgumentHelp("Remove what was last used before this day (local time).", valueName: "YYYY-MM-DD"))
    var date: String?

    @Option(help: ArgumentHelp("Remove the least recently used until the files total at most this (K, M, G, T suffixes).", valueName: "SIZE"))
    var size: String?

    @Flag(help: "Only list what would be removed, with sizes; with no limit, print the cache's total size.")
    var list = false

    @Flag(help: "Keep name directories that end up empty.")
    var keepEmptyDirs = false

    @Flag(name: .shortAndLong, help: "Print only errors.")
    var quiet = false

    func validate() throws {
        guard try !parsedLimits().isEmpty || list else {
            throw ValidationError("give --days, --date or --size (or --list for the cache's total size)")
        }
    }

    func run() throws {
        let limits = try parsedLimits()
        let root = LocalFileSystem.canonicalPath(directory) ?? directory
        let scan: CacheScan
        do throws(SymbolStoreError) {
            scan = try CacheScan.scan(root)
        } catch {
            printError("symfs: \(error.detail)")
            throw ExitCode(1)
        }
        let chosen = CachePruner.plan(scan, limits: limits)
        if list {
            for directory in chosen where !quiet {
                print("\(directory.relativePath)\t\(directory.bytes)\t\(Self.day(directory.lastUse))")
            }
            let removed = chosen.reduce(0) { $0 + $1.bytes }
            if limits.isEmpty {
                print("\(scan.keyDirectories.count) key directories, \(scan.totalBytes) bytes (\(ByteCount.text(scan.totalBytes)))")
            } else {
                print("would remove \(chosen.count) key directories, \(removed) bytes (\(ByteCount.text(removed))); "
                    + "\(scan.keyDirectories.count - chosen.count) stay, \(scan.totalBytes - removed) bytes")
            }
            if !scan.leftovers.isEmpty { print("would remove \(scan.leftovers.count) leftovers of stopped writers") }
            return
        }
        var pruner = CachePruner()
        pruner.keepEmptyDirectories = keepEmptyDirs
        let report = pruner.prune(scan, removing: chosen)
        if !quiet {
            for directory in report.removed {
                print("removed \(directory.relativePath)\t\(directory.bytes)\t\(Self.day(directory.lastUse))")
            }
            for leftover in report.leftovers { print("removed leftover \(leftover)") }
        }
        var failed = false
        for (path, reason) in report.skipped {
            let isError = reason.hasPrefix("cannot")
            failed = failed || isError
            if isError || !quiet { printError("symfs: \(isError ? "" : "kept ")\(path): \(reason)") }
        }
        if !quiet {
            print("removed \(report.removed.count) key directories, \(report.removedBytes) bytes (\(ByteCount.text(report.removedBytes))); "
                + "\(report.kept) stay, \(report.keptBytes) bytes (\(ByteCount.text(report.keptBytes)))")
        }
        if failed { throw ExitCode(1) }
    }

    private func parsedLimits() throws -> [PruneLimit] {
        var limits: [PruneLimit] = []
        if let days {
            guard (0...1_000_000).contains(days) else { throw ValidationError("--days must be from 0 to 1000000, not \(days)") }
            limits.append(.usedSince(Int64(time(nil)) - Int64(days) * 86_400))
        }
        if let date {
            guard let midnight = Self.localMidnight(date) else {
                throw ValidationError("--date must be a day as YYYY-MM-DD, not '\(date)'")
            }
            limits.append(.usedSince(midnight))
        }
        if let size {
            guard let bytes = ByteCount(size) else {
                throw ValidationError("--size must be a number of bytes, with K, M, G or T if you like (10G), not '\(size)'")
            }
            limits.append(.totalBytes(bytes.bytes))
        }
        return limits
    }

    /// The start of `text` (YYYY-MM-DD) in local time, in seconds since the epoch.
    static func localMidnight(_ text: String) -> Int64? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int32(parts[0]), let month = Int32(parts[1]), let day = Int32(parts[2]),
              (1970...9999).contains(year), (1...12).contains(month), (1...31).contains(day) else { return nil }
        var fields = tm()
        fields.tm_year = year - 1900
        fields.tm_mon = month - 1
        fields.tm_mday = day
        fields.tm_isdst = -1
        let seconds = mktime(&fields)
        // mktime normalises 2026-02-31 into March: such a day does not exist.
        guard seconds != -1, fields.tm_mday == day, fields.tm_mon == month - 1 else { return nil }
        return Int64(seconds)
    }

    static func day(_ seconds: Int64) -> String {
        var time = time_t(seconds)
        var fields = tm()
        localtime_r(&time, &fields)
        return String(format: "%04d-%02d-%02d %02d:%02d", fields.tm_year + 1900, fields.tm_mon + 1, fields.tm_mday, fields.tm_hour, fields.tm_min)
    }
}
