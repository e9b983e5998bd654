import SymbolServer
import SymbolStore
import Testing

/// Request paths to routes: the shapes a symbol server answers, and every spelling of a path that could climb
/// out of a store refused before a lookup.
struct ServerRouteTests {
    @Test("Store paths in any case, MSFZ forms, name_ and the server's own files")
    func shapes() {
        #expect(ServerRoute(path: "/ntdll.pdb/1EB1D7A0DA4F4A3C94EE81A8FDB0ADF21/ntdll.pdb")
            == .symbol(SymbolRequest(name: "ntdll.pdb", key: "1EB1D7A0DA4F4A3C94EE81A8FDB0ADF21")))
        #expect(ServerRoute(path: "/NTDLL.PDB/1eb1d7a0da4f4a3c94ee81a8fdb0adf21/ntdll.pdb")
            == .symbol(SymbolRequest(name: "NTDLL.PDB", key: "1eb1d7a0da4f4a3c94ee81a8fdb0adf21")))
        #expect(ServerRoute(path: "/a.pdb/K/msfz0/a.pdb") == .symbol(SymbolRequest(name: "a.pdb", key: "K", variant: .msfz0)))
        #expect(ServerRoute(path: "/a.pdb/K/a.pd_") == .compressed(SymbolRequest(name: "a.pdb", key: "K")))
        #expect(ServerRoute(path: "/my%20lib.dll/K/my%20lib.dll") == .symbol(SymbolRequest(name: "my lib.dll", key: "K")))
        #expect(ServerRoute(path: "/pingme.txt") == .ping)
        #expect(ServerRoute(path: "/metrics") == .metrics)
        #expect(ServerRoute(path: "/healthz") == .health)
    }

    @Test("Other shapes are misses without a lookup", arguments: [
        "/", "/index2.txt", "/a.pdb", "/a.pdb/K", "/a.pdb/K/file.ptr", "/a.pdb/K/refs.ptr", "/a.pdb/K/b.pdb",
        "/a.pdb/K/msfz0/b.pdb", "/a.pdb/K/x/a.pdb", "/a.pdb/K/a.pdb/more", "/a.pdb//a.pdb", "/000Admin/lastid.txt/x",
    ])
    func misses(path: String) {
        #expect(ServerRoute(path: path) == .notFound)
    }

    @Test("Traversal and hostile spellings are refused", arguments: [
        "/..", "/../etc/passwd", "/a/../a/a", "/%2e%2e/K/%2e%2e", "/%2E%2E/x/y", "/a%2fb/K/a%2fb", "/a%2Fb/K/x",
        "/a%5cb/K/a%5cb", "/a\\b/K/a\\b", "/a%00/K/a%00", "/%c0%ae%c0%ae/K/x", "/a%zz/K/a", "/a%2/K/a",
        "/" + String(repeating: "x", count: 300) + "/K/x", "/a%0a/K/a%0a", "/.", "relative/K/x",
    ])
    func refused(path: String) {
        guard case .invalid = ServerRoute(path: path) else {
            Issue.record("\(path) was not refused: \(ServerRoute(path: path))")
            return
        }
    }
}

/// `Range` headers (RFC 9110 §14) against a file of 1,000 bytes.
struct ByteRangeTests {
    @Test("Single ranges in each form; several ranges or other units give the whole file")
    func forms() {
        #expect(ByteRange(header: nil, size: 1000) == .whole)
        #expect(ByteRange(header: "bytes=10-19", size: 1000) == .partial(10..<20))
        #expect(ByteRange(header: "bytes=990-", size: 1000) == .partial(990..<1000))
        #expect(ByteRange(header: "bytes=-5", size: 1000) == .partial(995..<1000))
        #expect(ByteRange(header: "bytes=-5000", size: 1000) == .partial(0..<1000))
        #expect(ByteRange(header: "bytes=900-5000", size: 1000) == .partial(900..<1000))
        #expect(ByteRange(header: "bytes=0-0,5-6", size: 1000) == .whole)
        #expect(ByteRange(header: "items=0-5", size: 1000) == .whole)
        #expect(ByteRange(header: "bytes=5-2", size: 1000) == .whole)
    }

    @Test("Ranges that start past the end, or empty suffixes, cannot be satisfied")
    func unsatisfiable() {
        #expect(ByteRange(header: "bytes=1000-", size: 1000) == .unsatisfiable)
        #expect(ByteRange(header: "bytes=2000-3000", size: 1000) == .unsatisfiable)
        #expect(ByteRange(header: "bytes=-0", size: 1000) == .unsatisfiable)
        #expect(ByteRange(header: "bytes=0-", size: 0) == .unsatisfiable)
    }
}
