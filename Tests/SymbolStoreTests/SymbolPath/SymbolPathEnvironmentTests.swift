import Testing
@testable import SymbolStore

/// Environment variables of symsrv-spec.md §1.4 and the default downstream store (§1.2, Linux placement).
struct SymbolPathEnvironmentTests {
    @Test func altPathComesBeforeThePath() throws {
        let environment = SymbolPathEnvironment(
            variables: ["_NT_SYMBOL_PATH": "srv*/s", "_NT_ALT_SYMBOL_PATH": "/alt"], isRoot: false)
        #expect(environment.symbolPathText == "/alt;srv*/s")
        #expect(try environment.symbolPath().elements == [.directory("/alt"), .server([.local("/s")])])
    }

    @Test func emptyVariablesCountAsUnset() throws {
        let environment = SymbolPathEnvironment(
            variables: ["_NT_SYMBOL_PATH": " ; ", "_NT_ALT_SYMBOL_PATH": ""], isRoot: false)
        #expect(environment.symbolPathText == nil)
        #expect(try environment.symbolPath() == .symfix())
    }

    @Test func defaultDownstreamStorePlacement() {
        #expect(SymbolPathEnvironment(variables: ["DBGHELP_HOMEDIR": "/opt/dbg"], isRoot: true)
            .defaultDownstreamStore == "/opt/dbg/sym")
        #expect(SymbolPathEnvironment(variables: ["HOME": "/root"], isRoot: true)
            .defaultDownstreamStore == "/var/cache/symfs")
        #expect(SymbolPathEnvironment(variables: ["HOME": "/home/u", "XDG_CACHE_HOME": "/xdg"], isRoot: false)
            .defaultDownstreamStore == "/xdg/symfs")
        #expect(SymbolPathEnvironment(variables: ["HOME": "/home/u", "XDG_CACHE_HOME": "relative"], isRoot: false)
            .defaultDownstreamStore == "/home/u/.cache/symfs")
        #expect(SymbolPathEnvironment(variables: ["HOME": "/home/u/"], isRoot: false)
            .defaultDownstreamStore == "/home/u/.cache/symfs")
    }

    @Test(arguments: [("proxy:8080", "proxy", 8080), (" http://proxy.corp:3128/ ", "proxy.corp", 3128),
                      ("[::1]:8080", "[::1]", 8080)])
    func readsTheSymbolProxy(text: String, host: String, port: Int) throws {
        let proxy = try #require(try SymbolPathEnvironment(variables: ["_NT_SYMBOL_PROXY": text], isRoot: false)
            .symbolProxy())
        #expect(proxy.host == host)
        #expect(proxy.port == port)
    }

    @Test(arguments: ["proxy", "proxy:", ":8080", "proxy:99999", "proxy:http"])
    func rejectsAMalformedProxy(_ text: String) {
        #expect(throws: SymbolProxyError.self) {
            _ = try SymbolPathEnvironment(variables: ["_NT_SYMBOL_PROXY": text], isRoot: false).symbolProxy()
        }
    }
}
