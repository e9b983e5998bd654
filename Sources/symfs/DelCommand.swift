import ArgumentParser
import Foundation
import SymbolPublishing

struct DelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "del",
        abstract: "Delete a transaction from a symbol store, as symstore.exe del /i does.",
        discussion: """
            The transaction's records leave every refs.ptr; a file goes when no other transaction stored a copy; \
            file.ptr follows the last remaining record; server.txt loses the transaction and history.txt gains \
            NEW,del,ID. An id not in force is an error that changes nothing.
            """
    )

    @OptionGroup var store: StoreOption

    @Flag(name: .shortAndLong, help: "Print nothing on success.")
    var quiet = false

    @Argument(help: "The transaction id (as in server.txt; leading zeros optional).")
    var id: Int

    func run() throws {
        var deleter = TransactionDeleter(root: store.path)
        deleter.waiting = { if !quiet { printError("symfs: waiting for another writer of \(store.path)") } }
        do throws(PublishError) {
            let report = try deleter.delete(id)
            for warning in report.warnings { printError("symfs: warning: \(warning)") }
            if !quiet { print("transaction \(StoreText.id(report.record)): deleted \(StoreText.id(id))") }
        } catch {
            printError("symfs: \(error)")
            throw ExitCode(1)
        }
    }
}
