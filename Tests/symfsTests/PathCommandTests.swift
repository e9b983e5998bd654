import Testing
import TestSupport

/// `symfs path`: the parsed chain, one element a line as `.sympath` shows it; malformed paths exit non-zero
/// naming the column and the reason (symsrv-spec.md §1).
struct PathCommandTests {
    static let clean: [String: String] = ["PATH": "/usr/bin:/bin", "HOME": "/home/tester"]

    func symfs(_ arguments: [String], environment: [String: String] = clean) throws -> CommandResult {
        try run(Executables.symfs, arguments, environment: environment)
    }

    @Test func printsEachElementOnItsOwnLine() throws {
        let result = try symfs(["path", "cache*/tmp/c;srv*/tmp/s*https://h/sym;/tmp"])
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first == "Symbol search path is: cache*/tmp/c;srv*/tmp/s*https://h/sym;/tmp")
        #expect(lines.contains { $0.hasPrefix("Cache") && $0.hasSuffix("cache*/tmp/c") })
        #expect(lines.contains { $0.hasPrefix("Deferred") && $0.hasSuffix("srv*/tmp/s*https://h/sym") })
        #expect(lines.contains { $0.hasPrefix("OK") && $0.hasSuffix("/tmp") })
    }

    @Test func missingPlainDirectoriesAreFlaggedNotFatal() throws {
        let result = try symfs(["path", "/nonexistent/symbols"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("Error                   /nonexistent/symbols"))
    }

    @Test func malformedPathsExitNonZeroWithColumnAndReason() throws {
        let result = try symfs(["path", "srv*C:\\symbols*https://msdl.microsoft.com/download/symbols"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("column 5"))
        #expect(result.standardError.contains("Windows path"))
        #expect(result.standardOutput.isEmpty)
    }

    @Test func environmentAltPathComesFirstAndDefaultStoreExpands() throws {
        var environment = Self.clean
        environment["_NT_SYMBOL_PATH"] = "srv**https://h/sym"
        environment["_NT_ALT_SYMBOL_PATH"] = "/tmp"
        environment["DBGHELP_HOMEDIR"] = "/dbg"
        let result = try symfs(["path"], environment: environment)
        #expect(result.standardOutput.contains("Symbol search path is: /tmp;srv**https://h/sym\n"))
        #expect(result.standardOutput.contains("Expanded Symbol search path is: /tmp;srv*/dbg/sym*https://h/sym\n"))
    }

    @Test func withoutAnyPathItIsWhatSymfixSets() throws {
        let result = try symfs(["path"], environment: ["PATH": "/usr/bin:/bin", "DBGHELP_HOMEDIR": "/dbg"])
        #expect(result.standardOutput.contains(
            "Expanded Symbol search path is: cache*/dbg/sym;srv*https://msdl.microsoft.com/download/symbols\n"))
        let symfix = try symfs(["path", "--symfix", "--symfix-cache", "/c"])
        #expect(symfix.standardOutput.contains(
            "Symbol search path is: cache*/c;srv*https://msdl.microsoft.com/download/symbols\n"))
    }

    @Test func readsTheSymbolProxy() throws {
        var environment = Self.clean
        environment["_NT_SYMBOL_PROXY"] = "proxy.corp:3128"
        #expect(try symfs(["path", "/tmp"], environment: environment).standardOutput
            .contains("Symbol proxy is: proxy.corp:3128\n"))
        environment["_NT_SYMBOL_PROXY"] = "proxy.corp"
        let bad = try symfs(["path", "/tmp"], environment: environment)
        #expect(bad.status == 2)
        #expect(bad.standardError.contains("not host:port"))
    }
}
