import ArgumentParser
import Foundation
import SymbolPublishing

struct AddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add files to a symbol store in one transaction, as symstore.exe add does.",
        discussion: """
            Files are filed under name/KEY/name (two-tier when the store has index2.txt), with pingme.txt, \
            000Admin (lastid.txt, server.txt, history.txt, one file per transaction) and a refs.ptr record in \
            every key directory, byte for byte as symstore.exe writes them. Concurrent adds to one store take \
            turns (a lock that dies with its holder); a killed add is rolled back by the next one. The exit \
            status is 1 when any file was not stored.
            """
    )

    @OptionGroup var store: StoreOption

    @Flag(name: .short, help: "Add the files of directories' whole trees (symstore /r).")
    var recursive = false

    @Option(name: [.customShort("t"), .customLong("product")], help: "The product name recorded (symstore /t).")
    var product = ""

    @Option(name: [.customShort("v"), .customLong("version")], help: "The version recorded (symstore /v).")
    var version = ""

    @Option(name: [.customShort("c"), .customLong("comment")], help: "The comment recorded (symstore /c).")
    var comment = ""

    @Flag(help: "Store each file as a one-file CAB, name_ (symstore /compress).")
    var compress = false

    @Flag(help: "Store file.ptr pointing at each file instead of a copy (symstore /p).")
    var pointer = false

    @Option(name: .customLong("message"), help: "Store file.ptr holding MSG:<message> instead of a copy (symstore -:MSG).")
    var message: String?

    @Flag(name: .customLong("no-refs"), help: "Write no refs.ptr (symstore -:NOREFS).")
    var noReferences = false

    @Option(help: "Files read and written at once.")
    var jobs = max(2, ProcessInfo.processInfo.activeProcessorCount)

    @Flag(name: .customLong("dry-run"), help: "Say what would be stored; change nothing.")
    var dryRun = false

    @Flag(help: "Print what was added as JSON.")
    var json = false

    @Flag(name: .shortAndLong, help: "No progress line and no line per file: only the transaction and what went wrong.")
    var quiet = false

    @Argument(help: "Files, directories and @response files (one path a line).")
    var inputs: [String]

    func validate() throws {
        if pointer && message != nil { throw ValidationError("--pointer and --message are two kinds of pointer: give one") }
        if compress && (pointer || message != nil) { throw ValidationError("pointers are never compressed: --compress stores copies") }
        if jobs < 1 { throw ValidationError("--jobs takes 1 or more") }
    }

    func run() throws {
        var options = AddOptions()
        options.product = product
        options.version = version
        options.comment = comment
        options.compress = compress
        options.pointer = pointer
        options.message = message
        options.references = !noReferences
        options.jobs = jobs
        var publisher = SymbolPublisher(root: store.path, options: options)
        let progress = ProgressLine(enabled: !quiet && !json && !dryRun)
        publisher.progress = { files, bytes in progress.update(files: files, bytes: bytes) }
        publisher.waiting = { if !quiet { printError("symfs: waiting for another writer of \(store.path)") } }
        var report: AddReport
        do throws(PublishError) {
            let expansion = try PublishInputs.expand(inputs, recursive: recursive)
            progress.total = expansion.candidates.count
            report = try publisher.add(expansion.candidates, dryRun: dryRun)
            report.skipped += expansion.skipped
        } catch {
            progress.finish()
            printError("symfs: \(error)")
            throw ExitCode(1)
        }
        progress.finish()
        for skipped in report.skipped { printError("symfs: \(skipped.reason) (skipped)") }
        for warning in report.warnings { printError("symfs: warning: \(warning)") }
        if json {
            try printJSON(AddSummary(report, store: store.path, dryRun: dryRun))
        } else {
            for file in report.files where !quiet {
                let verb = dryRun ? "would be \(file.outcome.rawValue)" : file.outcome.rawValue
                print("\(file.path)\t\(verb)\t\(file.source)")
            }
            if let id = report.id {
                print("transaction \(StoreText.id(id)): \(report.files.count) files")
            } else if report.files.isEmpty {
                printError("symfs: nothing to add")
            }
        }
        if !report.skipped.isEmpty || report.files.isEmpty { throw ExitCode(1) }
    }
}
