import ArgumentParser
import Foundation
import SymbolPublishing

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Say whether a symbol store holds each file, where, and which transactions added it.",
        discussion: "The exit status is 1 when any file is absent (or is not a symbol file)."
    )

    @OptionGroup var store: StoreOption

    @Flag(name: .short, help: "Query the files of directories' whole trees.")
    var recursive = false

    @Flag(help: "Print the answers as JSON.")
    var json = false

    @Argument(help: "Files, directories and @response files.")
    var inputs: [String]

    func run() throws {
        let query = StoreQuery(root: store.path)
        var answers: [StoreQuery.Answer] = []
        var failed = false
        do throws(PublishError) {
            for candidate in try PublishInputs.expand(inputs, recursive: recursive).candidates {
                do throws(PublishError) {
                    answers.append(try query.find(try IdentifiedFile(path: candidate.path)))
                } catch {
                    printError("symfs: \(error)")
                    failed = true
                }
            }
        } catch {
            printError("symfs: \(error)")
            throw ExitCode(1)
        }
        if json {
            try printJSON(answers.map(QueryLine.init))
        } else {
            for answer in answers {
                let location = answer.path ?? "\(answer.name)/\(answer.key)/\(answer.name)"
                let transactions = answer.transactions.map { StoreText.id($0) }.joined(separator: ",")
                print("\(answer.found ? "found" : "absent")\t\(location)\t\(transactions)\t\(answer.source)")
            }
        }
        if failed || answers.contains(where: { !$0.found }) { throw ExitCode(1) }
    }
}

/// One `query --json` answer.
struct QueryLine: Encodable {
    var source: String
    var name: String
    var key: String
    var found: Bool
    var path: String?
    var transactions: [String]

    init(_ answer: StoreQuery.Answer) {
        source = answer.source
        name = answer.name
        key = answer.key
        found = answer.found
        path = answer.path
        transactions = answer.transactions.map { StoreText.id($0) }
    }
}
