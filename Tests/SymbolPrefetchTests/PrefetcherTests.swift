import Foundation
import Testing
import TestSupport
import SymbolFormats
import SymbolStore
@testable import SymbolPrefetch

/// The prefetcher over local stores (no server, no mount): each file fetched once whatever its spelling, the
/// second step for an image whose PDB is unknown, misses, and every file in the cache afterwards.
@Suite struct PrefetcherTests {
    static let binaries = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/symstore-exe/binaries").path

    /// An upstream store with dummyprog.exe and the PDB it names, and a service with a cache in front of it.
    func service(in directory: TemporaryDirectory) throws -> (SymbolService, cache: String) {
        let upstream = directory.path + "/upstream"
        let image = try PEImage(path: Self.binaries + "/dummyprog.exe")
        try StoreWriter.place(Self.binaries + "/dummyprog.exe", at: upstream, "dummyprog.exe/\(image.key)/dummyprog.exe")
        let pdb = try #require(image.pdb?.symbolKey)
        try StoreWriter.place(Self.binaries + "/dummyprog.pdb", at: upstream, pdb.storePath)
        let cache = directory.path + "/cache"
        let configuration = SymbolService.Configuration(
            symbolPath: try SymbolPath(parsing: "srv*\(cache)*\(upstream)"), defaultDownstreamStore: cache)
        return (SymbolService(configuration), cache)
    }

    @Test func eachFileOnceTheImagesPDBSecondAndMissesReported() throws {
        let directory = try TemporaryDirectory("symfs-prefetcher")
        let (service, cache) = try service(in: directory)
        let image = try PEImage(path: Self.binaries + "/dummyprog.exe")
        let pdb = try #require(image.pdb?.symbolKey)
        let targets = [
            PrefetchTarget(SymbolKey(name: "dummyprog.exe", key: image.key), module: "dummyprog.exe", followsPDB: true),
            PrefetchTarget(SymbolKey(name: "DUMMYPROG.EXE", key: image.key.lowercased()), module: "again.exe"),
            PrefetchTarget(SymbolKey(name: "absent.pdb", key: "0123456789ABCDEF0123456789ABCDEF1"), module: "absent.dll"),
        ]
        let results = Prefetcher(resolver: service.resolver, jobs: 4).run(targets)
        #expect(results.map(\.target.file.name) == ["dummyprog.exe", "absent.pdb", pdb.name], "\(results.map(\.target))")
        #expect(results.map(\.outcome) == [
            .found(store: directory.path + "/upstream", bytes: 4608), .missing,
            .found(store: directory.path + "/upstream", bytes: 11776),
        ])
        #expect(results.last?.target.module == "dummyprog.exe", "the PDB is the image's module's")
        for path in ["dummyprog.exe/\(image.key)/dummyprog.exe", pdb.storePath] {
            #expect(FileManager.default.contents(atPath: cache + "/" + path) != nil, "\(path) in the cache")
        }
    }

    @Test func manyTargetsOnFewerThreadsAllFinish() throws {
        let directory = try TemporaryDirectory("symfs-prefetcher")
        let (service, _) = try service(in: directory)
        let targets = (0..<200).map { index in
            PrefetchTarget(SymbolKey(name: "absent\(index).pdb", key: "0123456789ABCDEF0123456789ABCDEF1"), module: "m\(index)")
        }
        let results = Prefetcher(resolver: service.resolver, jobs: 8).run(targets)
        #expect(results.count == 200 && results.allSatisfy { $0.outcome == .missing })
        #expect(results.map(\.target.module) == targets.map(\.module), "results in the order given")
    }
}
