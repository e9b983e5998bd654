import SymbolPrefetch

/// The counts a prefetch ends with.
struct PrefetchSummary: Encodable {
    var found = 0
    var missing = 0
    var failed = 0
    /// Inputs or manifest lines that could not be read.
    var unreadable = 0
    var bytes: UInt64 = 0
    var milliseconds: Int64

    init(_ results: [PrefetchResult], problems: Int, milliseconds: Int64) {
        self.milliseconds = milliseconds
        unreadable = problems
        for result in results {
            switch result.outcome {
            case .found(_, let size):
                found += 1
                bytes += size
            case .missing: missing += 1
            case .failed: failed += 1
            }
        }
    }

    var line: String {
        "\(found) found, \(missing) missing, \(failed) failed" + (unreadable > 0 ? ", \(unreadable) inputs unreadable" : "")
            + "; \(ByteCount.text(bytes)) in \(Double(milliseconds) / 1000) s"
    }
}

/// `--json`: a record per file and the summary.
struct PrefetchReport: Encodable {
    struct File: Encodable {
        var module: String
        var name: String
        var key: String
        var status: String
        var store: String?
        var bytes: UInt64?
        var error: String?
    }

    var files: [File]
    var summary: PrefetchSummary

    init(results: [PrefetchResult], summary: PrefetchSummary) {
        self.summary = summary
        files = results.map { result in
            var file = File(module: result.target.module, name: result.target.file.name, key: result.target.file.key, status: "")
            switch result.outcome {
            case .found(let store, let bytes):
                (file.status, file.store, file.bytes) = ("found", store, bytes)
            case .missing:
                file.status = "missing"
            case .failed(let why):
                (file.status, file.error) = ("failed", why)
            }
            return file
        }
    }
}

/// The table a prefetch prints: a row per file, module first.
enum PrefetchTable {
    static func print(_ results: [PrefetchResult]) {
        let rows = results.map { result -> [String] in
            let outcome = switch result.outcome {
            case .found(let store, _): "found in \(store)"
            case .missing: "not found"
            case .failed(let why): "failed: \(why)"
            }
            return [result.target.module, result.target.file.name, result.target.file.key, outcome]
        }
        let header = ["module", "file", "key", "result"]
        let widths = (0..<3).map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            let padded = (0..<3).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
            Swift.print((padded + [row[3]]).joined(separator: "  "))
        }
    }
}
