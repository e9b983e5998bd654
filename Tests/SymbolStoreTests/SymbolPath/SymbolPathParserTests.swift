import Testing
@testable import SymbolStore

/// The grammar of symsrv-spec.md §1.1: elements, keywords, cascades, caches, the default downstream store.
struct SymbolPathParserTests {
    static let msdl = SymbolPath.microsoftSymbolServer

    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var elements: [SymbolPathElement]
        var testDescription: String { text.isEmpty ? "(empty)" : text }
    }

    static let wellFormed: [Case] = [
        Case(text: "", elements: []),
        Case(text: "/srv/symbols", elements: [.directory("/srv/symbols")]),
        Case(text: "relative/dir", elements: [.directory("relative/dir")]),
        Case(text: "/a;/b;/c", elements: [.directory("/a"), .directory("/b"), .directory("/c")]),
        // Empty elements and blanks around elements are skipped, as the debuggers do.
        Case(text: " ;; /a ; ;/b;", elements: [.directory("/a"), .directory("/b")]),
        Case(text: "srv*/store", elements: [.server([.local("/store")])]),
        Case(text: "srv*/cache*https://msdl.microsoft.com/download/symbols",
             elements: [.server([.local("/cache"), .http(msdl)])]),
        // Keywords in any case; .symfix itself prints SRV* (spec §1.1).
        Case(text: "SRV*/c*https://h/s", elements: [.server([.local("/c"), .http("https://h/s")])]),
        Case(text: "SrV*/c*http://h:8080/s/", elements: [.server([.local("/c"), .http("http://h:8080/s")])]),
        // Cascades: every token is a store, leftmost first.
        Case(text: "srv*/d1*/d2*/d3*https://h/s",
             elements: [.server([.local("/d1"), .local("/d2"), .local("/d3"), .http("https://h/s")])]),
        // An empty token is the default downstream store.
        Case(text: "srv**https://h/s", elements: [.server([.defaultDownstream, .http("https://h/s")])]),
        Case(text: "srv*/a*", elements: [.server([.local("/a"), .defaultDownstream])]),
        // A bare srv* is Microsoft's public server.
        Case(text: "srv*", elements: [.server([.http(msdl)])]),
        // symsrv*symsrv.dll*… is the long form of srv*.
        Case(text: "symsrv*symsrv.dll*/c*https://h/s", elements: [.server([.local("/c"), .http("https://h/s")])]),
        Case(text: "SYMSRV*SymSrv.DLL*/c", elements: [.server([.local("/c")])]),
        Case(text: "cache*/var/cache/sym;srv*/srv/cache*https://msdl.microsoft.com/download/symbols",
             elements: [.cache(.local("/var/cache/sym")), .server([.local("/srv/cache"), .http(msdl)])]),
        Case(text: "cache*;/plain", elements: [.cache(.defaultDownstream), .directory("/plain")]),
        Case(text: "CACHE*/c", elements: [.cache(.local("/c"))]),
        // Blanks around tokens are tolerated too.
        Case(text: "srv * /c * https://h/s", elements: [.server([.local("/c"), .http("https://h/s")])]),
        // Ten stores is the limit, not an error.
        Case(text: "srv*" + (1...9).map { "/d\($0)" }.joined(separator: "*") + "*https://h/s",
             elements: [.server((1...9).map { .local("/d\($0)") } + [.http("https://h/s")])]),
    ]

    @Test(arguments: wellFormed)
    func parsesWellFormedPaths(_ example: Case) throws {
        let path = try SymbolPath(parsing: example.text)
        #expect(path.elements == example.elements)
    }

    struct Malformed: Sendable, CustomTestStringConvertible {
        var text: String
        var column: Int
        var mentions: String
        var testDescription: String { text }
    }

    static let malformed: [Malformed] = [
        Malformed(text: "C:\\symbols", column: 1, mentions: "/mnt/c/symbols"),
        Malformed(text: "/ok;srv*c:\\sym*https://h/s", column: 9, mentions: "Windows path"),
        Malformed(text: "\\\\server\\share\\sym", column: 1, mentions: "mount -t cifs //server/share"),
        Malformed(text: "srv*//server/share*https://h/s", column: 5, mentions: "UNC"),
        Malformed(text: "svr*/c*https://h/s", column: 1, mentions: "unknown keyword 'svr'"),
        Malformed(text: "symsrv*other.dll*/c", column: 8, mentions: "other.dll"),
        Malformed(text: "symsrv**/c", column: 8, mentions: "no DLL"),
        // Found by Fuzz/run's SymbolPath fuzzer: this was a server of no stores, printed back as the directory `srv`.
        Malformed(text: "symsrv*symsrv.dll", column: 8, mentions: "names no store"),
        Malformed(text: "/a; SYMSRV * SymSrv.dll ;/b", column: 14, mentions: "names no store"),
        Malformed(text: "srv*https://h/s*/c", column: 5, mentions: "rightmost"),
        Malformed(text: "srv*/a*https://x/y*https://h/s", column: 8, mentions: "rightmost"),
        Malformed(text: "cache*/a*/b", column: 9, mentions: "one directory"),
        Malformed(text: "https://msdl.microsoft.com/download/symbols", column: 1, mentions: "srv*"),
        Malformed(text: "srv*/c*ftp://h/s", column: 8, mentions: "scheme"),
        Malformed(text: "srv*/c*https://", column: 8, mentions: "no host"),
        Malformed(text: "srv*/c*http:///", column: 8, mentions: "'http:///' names no host"),
        Malformed(text: "/dir\\sub", column: 5, mentions: "backslash"),
        Malformed(text: "srv*" + (1...11).map { "/d\($0)" }.joined(separator: "*"), column: 46,
                  mentions: "at most 10"),
        Malformed(text: "/a\u{1}b", column: 1, mentions: "control character"),
    ]

    @Test(arguments: malformed)
    func rejectsMalformedPathsNamingColumnAndReason(_ example: Malformed) {
        #expect {
            _ = try SymbolPath(parsing: example.text)
        } throws: { error in
            guard let error = error as? SymbolPathError else { return false }
            return error.column == example.column && error.reason.contains(example.mentions)
        }
    }

    /// Found by Fuzz/run's SymbolPath fuzzer: blanks before a URL's trailing slashes stayed in the URL once the
    /// slashes went, so the path printed back read as another URL.
    @Test func urlsLoseBlanksBeforeTheirTrailingSlashes() throws {
        let text = "srv*https://https:" + String(repeating: "\u{0C}", count: 8) + "//;/"
        let path = try SymbolPath(parsing: text)
        #expect(path.elements == [.server([.http("https://https:")]), .directory("/")])
        #expect(try SymbolPath(parsing: path.description) == path)
        #expect(try SymbolPath(parsing: "srv*/c*https://h/s  / /").elements
            == [.server([.local("/c"), .http("https://h/s")])])
    }

    @Test func printsBackAsWritten() throws {
        let text = "cache*/c;srv**/d*https://h/s;/plain"
        #expect(try SymbolPath(parsing: text).description == text)
    }

    @Test func expandsTheDefaultDownstreamStore() throws {
        let path = try SymbolPath(parsing: "cache*;srv**https://h/s")
        #expect(path.expanded(defaultDownstream: "/var/cache/symfs").description
            == "cache*/var/cache/symfs;srv*/var/cache/symfs*https://h/s")
    }

    @Test func symfixIsACacheThenMicrosoftsServer() {
        #expect(SymbolPath.symfix().description == "cache*;srv*https://msdl.microsoft.com/download/symbols")
        #expect(SymbolPath.symfix(cache: .local("/c")).elements == [.cache(.local("/c")), .server([.http(Self.msdl)])])
    }

    @Test func cachesApplyToEveryElementOnTheirRight() throws {
        let path = try SymbolPath(parsing: "/a;cache*/c1;/b;cache*/c2;srv*/s")
        #expect(path.caches(forElementAt: 0) == [])
        #expect(path.caches(forElementAt: 2) == [.local("/c1")])
        #expect(path.caches(forElementAt: 4) == [.local("/c1"), .local("/c2")])
    }
}

struct SymbolPathAbsolutizingTests {
    @Test func makesRelativeAndHomeDirectoriesAbsolute() throws {
        let path = try SymbolPath(parsing: "sym;cache*~/c;srv*./s*https://h/s;/abs")
        #expect(path.absolutized(currentDirectory: "/work", home: "/home/u").description
            == "/work/sym;cache*/home/u/c;srv*/work/./s*https://h/s;/abs")
    }
}
