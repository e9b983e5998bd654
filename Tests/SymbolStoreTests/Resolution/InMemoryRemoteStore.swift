import Foundation
@testable import SymbolStore

/// A server stand-in injected into the resolver in place of an HTTP store: serves files from memory by
/// `name/key`, counts its lookups and fetches, and can be slowed down, so the remote path of the resolver (probe,
/// download, key check, cache placement, rejection) is tested without a network, a server or root.
final class InMemoryRemoteStore: RemoteSymbolStore, @unchecked Sendable {
    let root: String
    private let lock = NSLock()
    /// "name/key" in lower case → content.
    private var files: [String: [UInt8]] = [:]
    private var lookupCount = 0
    private var fetchCount = 0
    /// How long each lookup takes (a server's round trip).
    var lookupDelay: useconds_t = 0

    init(root: String) {
        self.root = root
    }

    /// Serves `content` as `name/key/name`, whatever its real key.
    func serve(_ content: Data, name: String, key: String) {
        lock.withLock { files["\(name)/\(key)".lowercased()] = Array(content) }
    }

    var lookups: Int { lock.withLock { lookupCount } }
    var fetches: Int { lock.withLock { fetchCount } }

    func lookup(_ request: SymbolRequest) throws(SymbolStoreError) -> StoreHit? {
        if lookupDelay > 0 { usleep(lookupDelay) }
        let content = lock.withLock { () -> [UInt8]? in
            lookupCount += 1
            return files["\(request.name)/\(request.key)".lowercased()]
        }
        guard let content else { return nil }
        let file = RemoteFile(
            url: "\(root)/\(request.name)/\(request.key)/\(request.name)", compressed: false,
            transferSize: UInt64(content.count), acceptsRanges: true, prefix: Array(content.prefix(4096)))
        return StoreHit(
            form: .remote(file), size: UInt64(content.count), modificationTime: 1_700_000_000,
            spelling: StoreSpelling(name: request.name, key: SpellingCandidates.canonicalKey(request.key)))
    }

    func fetch(_ file: RemoteFile, range: Range<UInt64>?, urgent: Bool, receive: (UnsafeRawBufferPointer) -> Bool)
        throws(SymbolStoreError) {
        let path = String(file.url.dropFirst(root.count + 1))
        let parts = path.split(separator: "/")
        let content = lock.withLock { () -> [UInt8]? in
            fetchCount += 1
            return files["\(parts[0])/\(parts[1])".lowercased()]
        }
        guard let content else { throw SymbolStoreError(.upstreamUnavailable(.status(404)), "\(file.url): gone") }
        let span = range.map { Int($0.lowerBound)..<min(Int($0.upperBound), content.count) } ?? 0..<content.count
        _ = content[span].withUnsafeBytes { receive($0) }
    }

    func holds(name: String) -> Bool { true }
    func holds(name: String, key: String) -> Bool { true }
    func names() -> [String] { [] }
    func keys(of name: String) -> [String] { [] }
    func variants(of name: String, key: String) -> Set<SymbolRequest.Variant> { [] }
    func listing() -> any StoreListing { StoreContents(caseInsensitive: true) }
}

/// A resolver over `path` whose server URLs are answered by `servers` (by URL).
func makeResolver(
    _ path: String, downstream: String, servers: [InMemoryRemoteStore], lookupMemory: Duration = .seconds(10)
) throws -> SymbolPathResolver {
    var options = SymbolPathResolver.Options(lookupMemory: lookupMemory)
    options.remoteStore = { url, _ in servers.first { $0.root == url } }
    return SymbolPathResolver(
        symbolPath: try SymbolPath(parsing: path), defaultDownstreamStore: downstream, options: options)
}
