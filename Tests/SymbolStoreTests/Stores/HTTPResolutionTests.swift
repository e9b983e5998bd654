import Foundation
import Testing
import TestSupport
@testable import SymbolStore
@testable import SymbolHTTP

/// HTTP stores inside a symbol path: where they sit, and how a failing one is treated (spec §3.1, §3.5).
@Suite(.serialized) struct HTTPResolutionTests {
    let samples = Samples.shared

    private func resolver(_ path: String, downstream: String, client: HTTPClient? = nil) throws -> SymbolPathResolver {
        SymbolPathResolver(
            symbolPath: try SymbolPath(parsing: path), defaultDownstreamStore: downstream,
            options: .init(httpClient: client ?? HTTPClient(configuration: .init(
                connectTimeout: .seconds(2), retries: 0))))
    }

    @Test func httpHitIsARemoteLocation() throws {
        let temporary = try TemporaryDirectory()
        let root = temporary.path + "/server"
        try StoreWriter.symstore(samples.all, at: root)
        let nginx = try NginxServer(root: root)
        let resolver = try resolver("srv*\(temporary.path)/cache*\(nginx.baseURL)", downstream: temporary.path + "/ds")
        #expect(resolver.hasRemoteStores)
        let sample = samples.betaPDB
        let location = try #require(try resolver.locate(sample.request))
        guard case .remote(let file) = location.form else {
            Issue.record("expected a remote location, got \(location.form)")
            return
        }
        #expect(file.url == "\(nginx.baseURL)/\(sample.name)/\(sample.key)/\(sample.name)")
        #expect(location.size == UInt64(sample.bytes.count))
        #expect(location.storeRoot == nginx.baseURL)
        #expect(location.elementIndex == 0)
        #expect(try resolver.mayHold(name: "anything.pdb"))
    }

    @Test func localOnlyPathHasNoClient() throws {
        let temporary = try TemporaryDirectory()
        let resolver = SymbolPathResolver(
            symbolPath: try SymbolPath(parsing: "srv*\(temporary.path)"), defaultDownstreamStore: temporary.path)
        #expect(!resolver.hasRemoteStores)
        #expect(resolver.httpClient == nil)
    }

    /// A server that cannot be reached is skipped: a later element still answers, and only when none has the
    /// file is the failure reported (EIO, not ENOENT).
    @Test func unreachableServerIsSkipped() throws {
        let temporary = try TemporaryDirectory()
        let local = temporary.path + "/local"
        try StoreWriter.symstore([samples.alphaPDB], at: local)
        let port = try LoopbackPort.free()
        let resolver = try resolver(
            "srv*http://127.0.0.1:\(port)/symbols;srv*\(local)", downstream: temporary.path + "/ds")
        let location = try resolver.locate(samples.alphaPDB.request)
        #expect(location?.form == .file(path: "\(local)/\(samples.alphaPDB.name)/\(samples.alphaPDB.key)/\(samples.alphaPDB.name)"))
        #expect(location?.elementIndex == 1)
        do {
            _ = try resolver.locate(samples.betaPDB.request)
            Issue.record("a miss behind an unreachable server must not be ENOENT")
        } catch {
            guard case .upstreamUnavailable = error.kind else {
                Issue.record("expected a server failure, got \(error.kind)")
                return
            }
        }
    }

    /// A clean miss everywhere is nil (ENOENT), with the HTTP store asked.
    @Test func cleanMissIsNil() throws {
        let temporary = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: temporary.path + "/empty", withIntermediateDirectories: true)
        let nginx = try NginxServer(root: temporary.path + "/empty")
        let resolver = try resolver("srv*\(nginx.baseURL)", downstream: temporary.path + "/ds")
        #expect(try resolver.locate(samples.alphaPDB.request) == nil)
        // index2.txt, 000Admin/lastid.txt, then 3 forms × 3 spellings of `alpha.pdb` with its upper-case key.
        #expect(nginx.accessLog().count == 11)
    }
}
