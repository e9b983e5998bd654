import ArgumentParser
import Foundation
import Logging
import SymbolFormats
import SymbolPrefetch
import SymbolStore
import SystemSupport

struct PrefetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prefetch",
        abstract: "Fetch every symbol file crash dumps or builds need into the symbol path's caches, in parallel (symchk).",
        discussion: """
            Inputs are minidumps (their modules' images, PDBs and .dbg files; a module whose dump has no CodeView \
            record gets its image first and then the PDB the image names), PE images (their own key and their \
            PDB's), directories of PE images (their whole tree with -r) and manifests (--manifest, symchk's \
            name,KEY,N lines). Files go through the path's resolver into its caches, the ones a mount fills. The \
            exit status is 0 only when every file was found (--allow-missing: when none failed).
            """
    )

    @OptionGroup var symbolPathOptions: SymbolPathOptions

    @Argument(help: "Minidumps, PE images, or directories of PE images.")
    var inputs: [String] = []

    @Flag(name: .shortAndLong, help: "Take directories' whole trees (symchk /r).")
    var recursive = false

    @Option(help: ArgumentHelp("Fetch the files this manifest lists (symchk /im; repeatable).", valueName: "FILE"))
    var manifest: [String] = []

    @Option(help: ArgumentHelp("Write the files the inputs need as a manifest instead of fetching them (symchk /om).", valueName: "FILE"))
    var writeManifest: String?

    @Option(name: .shortAndLong, help: "Lookups and downloads in flight at once, across all servers.")
    var jobs = 16

    @Flag(help: "Exit 0 when files are missing, as long as none failed.")
    var allowMissing = false

    @Flag(help: "Print the results as JSON.")
    var json = false

    @Flag(name: .shortAndLong, help: "Print only the summary and errors.")
    var quiet = false

    func validate() throws {
        guard !inputs.isEmpty || !manifest.isEmpty else { throw ValidationError("give minidumps, PE images, directories or --manifest FILE") }
        guard (1...256).contains(jobs) else { throw ValidationError("--jobs must be between 1 and 256") }
    }

    func run() throws {
        var expanded = PrefetchInputs()
        for path in manifest {
            guard let text = FilePaths.readTextFile(path) else {
                expanded.problems.append((path, "cannot read the manifest"))
                continue
            }
            do throws(SymbolManifest.LineError) {
                expanded.add(manifest: try SymbolManifest.parse(text), from: path)
            } catch {
                expanded.problems.append((path, error.description))
            }
        }
        for input in inputs { expanded.add(path: input, recursive: recursive) }
        for (input, problem) in expanded.problems { printError("symfs: \(input): \(problem)") }

        if let writeManifest {
            var seen = Set<String>()
            let files = expanded.targets.filter { seen.insert($0.identity).inserted }.map(\.file)
            guard FileManager.default.createFile(atPath: writeManifest, contents: Data(SymbolManifest.text(files).utf8)) else {
                printError("symfs: cannot write \(writeManifest)")
                throw ExitCode(1)
            }
            if !quiet { print("\(files.count) files written to \(writeManifest)") }
            if expanded.problems.isEmpty { return }
            throw ExitCode(1)
        }

        var handler = StreamLogHandler.standardError(label: "symfs")
        handler.logLevel = .warning
        let logger = Logger(label: "symfs", factory: { _ in handler })
        let service = SymbolService(try symbolPathOptions.settings.configuration(logger: logger))
        service.startBackgroundWork()
        let prefetcher = Prefetcher(resolver: service.resolver, jobs: jobs)
        let progress = ProgressLine(enabled: !quiet && !json)
        prefetcher.progress = { report in progress.update(files: report.done, of: report.total, bytes: report.bytes) }
        let started = MonotonicTimeSource().now()
        let results = prefetcher.run(expanded.targets)
        progress.finish()
        // A file is reported found once its bytes passed the key check; placing it in the caches follows.
        let placed = service.stop(within: 60)
        if !placed { printError("symfs: some files were still being placed in the caches after 60 s") }
        let elapsed = MonotonicTimeSource().now() - started
        let summary = PrefetchSummary(results, problems: expanded.problems.count, milliseconds: elapsed.milliseconds)
        if json {
            try printJSON(PrefetchReport(results: results, summary: summary))
        } else {
            if !quiet { PrefetchTable.print(results) }
            print(summary.line)
        }
        let complete = placed && summary.failed == 0 && expanded.problems.isEmpty && (summary.missing == 0 || allowMissing)
        if !complete { throw ExitCode(1) }
    }
}
