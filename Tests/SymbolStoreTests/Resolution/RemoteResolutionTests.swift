import Foundation
import Testing
import TestSupport
@testable import SymbolStore

/// The resolver's remote path over injected servers: what a lookup found is opened from the store that found it,
/// and an answer that no longer holds is resolved again at once.
@Suite struct RemoteResolutionTests {
    let samples = Samples.shared

    /// Reads an opened file to its end, waiting for the bytes of a download in progress.
    private func readAll(_ opened: OpenedSymbolFile) throws -> Data {
        if let availability = opened.availability, opened.size > 0 {
            try availability.waitForBytes(0..<opened.size)
        }
        return ReadBack.contents(opened)
    }

    @Test func aFileOnlyAServerHasIsDownloadedIntoTheCacheAndServed() throws {
        let temporary = try TemporaryDirectory()
        let server = InMemoryRemoteStore(root: "https://a.invalid/symbols")
        let pdb = samples.alphaPDB
        server.serve(pdb.bytes, name: pdb.name, key: pdb.key)
        let resolver = try makeResolver(
            "cache*\(temporary.path)/cache;srv*\(server.root)", downstream: temporary.path + "/d", servers: [server])
        let symbol = try #require(try resolver.locate(pdb.request))
        #expect(symbol.storeRoot == server.root)
        #expect(try readAll(try resolver.open(symbol)) == pdb.bytes)
        #expect(resolver.finishDownloads(within: 10))
        #expect(ReadBack.files(under: temporary.path + "/cache") == ["\(pdb.name)/\(pdb.key)/\(pdb.name)"])
        #expect(resolver.statistics.downloads == 1)
    }

    /// A server that sends another file than the key names: the read fails, nothing is cached, and the next open
    /// of the same answer reads the file from the next server of the path.
    @Test func afterARejectedDownloadTheNextOpenReadsFromTheNextServer() throws {
        let temporary = try TemporaryDirectory()
        let lying = InMemoryRemoteStore(root: "https://lying.invalid")
        let honest = InMemoryRemoteStore(root: "https://honest.invalid")
        let pdb = samples.alphaPDB
        lying.serve(samples.betaPDB.bytes, name: pdb.name, key: pdb.key)
        honest.serve(pdb.bytes, name: pdb.name, key: pdb.key)
        let cache = temporary.path + "/cache"
        let resolver = try makeResolver(
            "cache*\(cache);srv*\(lying.root);srv*\(honest.root)", downstream: temporary.path + "/d",
            servers: [lying, honest])
        let symbol = try #require(try resolver.locate(pdb.request))
        #expect(symbol.storeRoot == lying.root)
        // Rejected while the open waits for it, the open goes on to the next server itself; rejected later, the
        // read fails and the next open does.
        let first: Data?
        do {
            first = try readAll(try resolver.open(symbol))
        } catch {
            #expect((error as? SymbolStoreError)?.kind == .contentRejected)
            first = nil
        }
        #expect(first == nil || first == pdb.bytes)
        #expect(resolver.finishDownloads(within: 10))

        let second = try resolver.open(symbol)
        #expect(second.resolved != nil && second.resolved?.storeRoot != lying.root)
        #expect(try readAll(second) == pdb.bytes)
        #expect(resolver.finishDownloads(within: 10))
        #expect(ReadBack.files(under: cache) == ["\(pdb.name)/\(pdb.key)/\(pdb.name)"])
        #expect(FileManager.default.contents(atPath: "\(cache)/\(pdb.name)/\(pdb.key)/\(pdb.name)") == pdb.bytes)
        #expect(honest.lookups >= 1)
    }

    /// A cached file removed behind the resolver (a cleaner, `symfs prune`) is fetched again when the answer that
    /// named it is opened.
    @Test func aCacheFileRemovedBehindTheResolverIsFetchedAgain() throws {
        let temporary = try TemporaryDirectory()
        let server = InMemoryRemoteStore(root: "https://a.invalid")
        let image = samples.alphaImage
        server.serve(image.bytes, name: image.name, key: image.key)
        let cache = temporary.path + "/cache"
        let resolver = try makeResolver(
            "cache*\(cache);srv*\(server.root)", downstream: temporary.path + "/d", servers: [server],
            lookupMemory: .zero)
        _ = try readAll(try resolver.open(try #require(try resolver.locate(image.request))))
        #expect(resolver.finishDownloads(within: 10))
        let cached = try #require(try resolver.locate(image.request))
        guard case .file(let path) = cached.form else {
            Issue.record("expected the cached copy, got \(cached.form)")
            return
        }
        try FileManager.default.removeItem(atPath: path)

        let reopened = try resolver.open(cached)
        #expect(reopened.resolved?.storeRoot == server.root)
        #expect(try readAll(reopened) == image.bytes)
        #expect(resolver.finishDownloads(within: 10))
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(resolver.statistics.downloads == 2)
    }

    /// Many threads asking for one uncached file at once share one resolution: the server sees one lookup.
    /// The hit is then the answer for every spelling the case rule merges.
    @Test func oneHundredThreadsLookingUpOneFileCauseOneProbeRound() throws {
        let temporary = try TemporaryDirectory()
        let server = InMemoryRemoteStore(root: "https://a.invalid")
        server.lookupDelay = 200_000
        let pdb = samples.betaPDB
        server.serve(pdb.bytes, name: pdb.name, key: pdb.key)
        let resolver = try makeResolver(
            "cache*\(temporary.path)/cache;srv*\(server.root)", downstream: temporary.path + "/d", servers: [server])
        let found = Counter()
        let finished = runOnThreads(100) { _ in
            if let symbol = try? resolver.locate(pdb.request), symbol.request == pdb.request { found.add() }
        }
        #expect(finished)
        #expect(found.value == 100)
        #expect(server.lookups == 1)
        let other = SymbolRequest(name: pdb.name.uppercased(), key: pdb.key.lowercased())
        #expect(try resolver.locate(other)?.request == other)
        #expect(server.lookups == 1)
    }

    /// A miss is remembered for the spelling asked only: another spelling may be on a store this one missed.
    @Test func aRememberedMissDoesNotHideAnotherSpelling() throws {
        let temporary = try TemporaryDirectory()
        let server = InMemoryRemoteStore(root: "https://a.invalid")
        let pdb = samples.alphaPDB
        let store = temporary.path + "/store"
        let mixed = "Alpha.Pdb"
        try StoreWriter.place(pdb.path, at: store, "\(mixed)/\(pdb.key)/\(mixed)")
        let resolver = try makeResolver(
            "srv*\(server.root);srv*\(store)", downstream: temporary.path + "/d", servers: [server])
        #expect(try resolver.locate(SymbolRequest(name: mixed.uppercased(), key: pdb.key)) == nil)
        #expect(try resolver.locate(SymbolRequest(name: mixed, key: pdb.key))?.storeRoot == store)
    }

    /// A miss that asked a server is shared and remembered the same way.
    @Test func concurrentMissesOfOneNameCauseOneProbeRound() throws {
        let temporary = try TemporaryDirectory()
        let server = InMemoryRemoteStore(root: "https://a.invalid")
        server.lookupDelay = 100_000
        let resolver = try makeResolver(
            "srv*\(temporary.path)/store*\(server.root)", downstream: temporary.path + "/d", servers: [server])
        let request = SymbolRequest(name: "absent.pdb", key: "0123456789ABCDEF0123456789ABCDEF1")
        #expect(runOnThreads(50) { _ in _ = try? resolver.locate(request) })
        #expect(try resolver.locate(request) == nil)
        #expect(server.lookups == 1)
    }
}
