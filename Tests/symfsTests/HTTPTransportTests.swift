import Foundation
import Testing
import TestSupport

/// How the mount reaches servers (spec §3.2, §3.3): HTTPS verified against the
/// system's authorities or a given CA file, HTTP/2 where the server offers it, proxies from
/// `_NT_SYMBOL_PROXY` and from `http_proxy`.
@Suite(.serialized)
struct HTTPTransportTests {
    let fixture = MountFixture.shared
    let scratch: TemporaryDirectory
    let pdb: SampleFile

    init() throws {
        scratch = try TemporaryDirectory("symfs-transport")
        let flat = MountFixture.shared.flat
        pdb = MountFixture.shared.files.first { $0.store == flat && $0.file.name.hasSuffix(".pdb") }!.file
    }

    var cache: String { scratch.path + "/cache" }
    var relativePath: String { "\(pdb.name)/\(pdb.key)/\(pdb.name)" }

    func cachedFiles() throws -> String {
        try run("find", [scratch.path + "/cache", "-type", "f"]).standardOutput
    }

    @Test func httpsWithATrustedCertificateSpeaksHTTP2() throws {
        let certificate = try SelfSignedCertificate(in: scratch)
        let server = try NginxServer(root: fixture.flat, certificate: certificate)
        let mount = try SymfsMount(
            symbolPath: "srv*\(cache)*\(server.baseURL)", arguments: ["--cacert", certificate.certificatePath])
        #expect(try run("cmp", [pdb.path, mount.path(relativePath)]).status == 0)
        let requests = server.accessLog().filter { $0.path.hasSuffix("/\(pdb.name)") }
        #expect(!requests.isEmpty)
        #expect(requests.allSatisfy { $0.protocolVersion == "HTTP/2.0" }, "\(requests)")
        // One connection per lane of the client (lookups, background chunks): HTTP/2 multiplexes the rest.
        #expect(Set(requests.map(\.connection)).count <= 2, "\(requests)")
    }

    /// A certificate nobody vouches for is refused: nothing is fetched, nothing cached, and the log says why.
    @Test func httpsWithAnUntrustedCertificateIsRefused() throws {
        let certificate = try SelfSignedCertificate(in: scratch)
        let server = try NginxServer(root: fixture.flat, certificate: certificate)
        let mount = try SymfsMount(symbolPath: "srv*\(cache)*\(server.baseURL)")
        var status = stat()
        #expect(stat(mount.path(relativePath), &status) == -1)
        #expect(errno == EIO || errno == ENOENT, "\(errno)")
        #expect(server.accessLog().isEmpty, "\(server.accessLog())")
        mount.unmount()
        #expect(mount.log().lowercased().contains("certificate"), "\(mount.log())")
        #expect(try cachedFiles().isEmpty)
    }

    /// `_NT_SYMBOL_PROXY` (host:port, spec §3.3) carries every request; the server's own name is never resolved.
    @Test func theSymbolProxyCarriesTheRequests() throws {
        let proxy = try proxyServer()
        let mount = try SymfsMount(
            symbolPath: "srv*\(cache)*http://symbols.invalid/store",
            environment: ["_NT_SYMBOL_PROXY": "127.0.0.1:\(proxy.port)", "http_proxy": "", "no_proxy": ""])
        try expectFetchedThrough(proxy, mount: mount)
    }

    @Test func theHTTPProxyVariableIsHonoured() throws {
        let proxy = try proxyServer()
        let mount = try SymfsMount(
            symbolPath: "srv*\(cache)*http://symbols.invalid/store",
            environment: ["http_proxy": "http://127.0.0.1:\(proxy.port)", "no_proxy": ""])
        try expectFetchedThrough(proxy, mount: mount)
    }

    /// nginx answers an absolute-form request line (`GET http://symbols.invalid/store/… HTTP/1.1`) from the path
    /// alone, so it stands in for a proxy with the server behind it.
    private func proxyServer() throws -> NginxServer {
        try NginxServer(root: fixture.flat, extraServerDirectives: "location /store/ { alias \(fixture.flat)/; }")
    }

    private func expectFetchedThrough(_ proxy: NginxServer, mount: SymfsMount) throws {
        #expect(try run("cmp", [pdb.path, mount.path(relativePath)]).status == 0, "\(mount.log())")
        let requests = proxy.accessLog()
        #expect(requests.contains { $0.path == "http://symbols.invalid/store/\(relativePath)" }, "\(requests)")
        #expect(requests.allSatisfy { $0.path.hasPrefix("http://symbols.invalid/store/") }, "\(requests)")
    }
}
