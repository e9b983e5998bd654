import ArgumentParser
import SymbolStore
#if canImport(Glibc)
import Glibc
#endif

struct PathCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "path",
        abstract: "Parse a symbol path and print its elements, the way .sympath shows them.",
        discussion: """
            Without a path, uses _NT_ALT_SYMBOL_PATH followed by _NT_SYMBOL_PATH, or what .symfix sets when \
            neither is set. The default downstream store (an empty token, cache*) is $DBGHELP_HOMEDIR/sym when \
            that is set, /var/cache/symfs for root, and $XDG_CACHE_HOME/symfs (~/.cache/symfs) otherwise.
            """
    )

    @Argument(help: "A symbol path, e.g. 'cache*/var/cache/sym;srv*/srv/sym*https://msdl.microsoft.com/download/symbols'.")
    var symbolPath: String?

    @Flag(help: "Print what .symfix sets: cache*<default store>;SRV*https://msdl.microsoft.com/download/symbols.")
    var symfix = false

    @Option(name: .customLong("symfix-cache"), help: "With --symfix: the cache directory (.symfix <dir>).")
    var symfixCache: String?

    func run() throws {
        let environment = SymbolPathEnvironment.current
        let text: String
        let path: SymbolPath
        do {
            if symfix {
                if symbolPath != nil { throw ValidationError("--symfix takes no symbol path") }
                path = .symfix(cache: symfixCache.map { .local($0) } ?? .defaultDownstream)
                text = path.description
            } else if let given = symbolPath {
                text = given
                path = try SymbolPath(parsing: given)
            } else {
                text = environment.symbolPathText ?? SymbolPath.symfix().description
                path = try environment.symbolPath()
            }
        } catch let error as SymbolPathError {
            printError("symfs: \(error)")
            printError("  \(Self.pointer(at: error.column, in: Self.displayed(symbolPath, environment)))")
            throw ExitCode(2)
        }
        let proxy: SymbolProxy?
        do {
            proxy = try environment.symbolProxy()
        } catch {
            printError("symfs: \(error)")
            throw ExitCode(2)
        }
        let store = environment.defaultDownstreamStore
        print("Symbol search path is: \(text)")
        print("Expanded Symbol search path is: \(path.expanded(defaultDownstream: store))")
        if let proxy { print("Symbol proxy is: \(proxy)") }
        print("")
        print("************* Path validation summary **************")
        print(Self.row("Response", "Location"))
        for element in path.elements {
            print(Self.row(Self.response(element, defaultDownstream: store), element.text))
        }
    }

    static func displayed(_ given: String?, _ environment: SymbolPathEnvironment) -> String {
        given ?? environment.symbolPathText ?? ""
    }

    /// The path with a caret under the column an error names.
    static func pointer(at column: Int, in text: String) -> String {
        text + "\n  " + String(repeating: " ", count: max(0, column - 1)) + "^"
    }

    static func row(_ response: String, _ location: String) -> String {
        response.padding(toLength: 24) + location
    }

    /// As the debuggers answer: servers are deferred until a lookup, directories are checked now.
    static func response(_ element: SymbolPathElement, defaultDownstream: String) -> String {
        switch element {
        case .server: return "Deferred"
        case .cache: return "Cache"
        case .directory(let directory):
            var status = stat()
            return stat(directory, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR ? "OK" : "Error"
        }
    }
}

extension String {
    func padding(toLength length: Int) -> String {
        count >= length ? self + " " : self + String(repeating: " ", count: length - count)
    }
}
