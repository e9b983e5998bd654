import SymbolPublishing

/// `add --json`.
struct AddSummary: Encodable {
    var store: String
    var transaction: String?
    var dryRun: Bool
    var files: [AddReport.File]
    var skipped: [[String: String]]
    var warnings: [String]

    init(_ report: AddReport, store: String, dryRun: Bool) {
        self.store = store
        transaction = report.id.map { StoreText.id($0) }
        self.dryRun = dryRun
        files = report.files
        skipped = report.skipped.map { ["path": $0.path, "reason": $0.reason] }
        warnings = report.warnings
    }
}
