import SymbolStore
import Foundation

/// A symbol source over files held in memory, standing in for a symbol path so the file system core is tested
/// without stores, disks or FUSE: each open hands out an unlinked shared memory object holding the content.
public final class InMemorySymbolSource: SymbolSource, SymbolStoreBackend, @unchecked Sendable {
    /// name → key → content
    let files: [String: [String: [UInt8]]]
    let msfz: Set<String>
    /// Stands in for a path with a server behind its stores: any name and key directory may exist.
    public var serverBehind = false
    let lock = NSLock()
    private var locates = 0
    public var locateCalls: Int { lock.withLock { locates } }
    public let root = "memory:"

    public init(files: [String: [String: [UInt8]]], msfz: Set<String> = []) throws {
        self.files = files
        self.msfz = msfz
    }

    func canonicalName(_ name: String) -> String? {
        files.keys.first { $0.lowercased() == name.lowercased() }
    }

    public func names() -> [String] { files.keys.sorted() }

    public func keys(of name: String) -> [String] {
        canonicalName(name).map { files[$0]!.keys.sorted() } ?? []
    }

    public func variants(of name: String, key: String) -> Set<SymbolRequest.Variant> {
        guard let name = canonicalName(name), files[name]![key] != nil else { return [] }
        return msfz.contains("\(name)/\(key)") ? [.plain, .msfz0] : [.plain]
    }

    public func listing() -> any StoreListing { Listing(source: self) }

    private struct Listing: StoreListing {
        let source: InMemorySymbolSource
        var names: [String] { source.names() }
        func keys(of name: String) -> [StoredKey] {
            source.keys(of: name).map { StoredKey(key: $0, variants: source.variants(of: name, key: $0)) }
        }
    }

    public func holds(name: String) -> Bool { canonicalName(name) != nil }

    public func holdsLocally(name: String) -> Bool { holds(name: name) }
    public func holdsLocally(name: String, key: String) -> Bool { holds(name: name, key: key) }
    public func mayHold(name: String) -> Bool { serverBehind || holds(name: name) }
    public func mayHold(name: String, key: String) -> Bool { serverBehind || holds(name: name, key: key) }

    public func holds(name: String, key: String) -> Bool {
        canonicalName(name).map { name in files[name]!.keys.contains { $0.lowercased() == key.lowercased() } } ?? false
    }

    public func lookup(_ request: SymbolRequest) -> StoreHit? {
        guard let name = canonicalName(request.name),
              let content = files[name]!.first(where: { $0.key.lowercased() == request.key.lowercased() }) else {
            return nil
        }
        if request.variant == .msfz0, !msfz.contains("\(name)/\(content.key)") { return nil }
        return StoreHit(
            form: .file(path: "\(root)\(name)/\(content.key)"), size: UInt64(content.value.count),
            modificationTime: 1_700_000_000, spelling: StoreSpelling(name: name, key: content.key))
    }

    public func locate(_ request: SymbolRequest) throws(SymbolStoreError) -> ResolvedSymbol? {
        lock.withLock { locates += 1 }
        return lookup(request).map {
            ResolvedSymbol(
                request: request, hit: $0,
                origin: PlacedStore(store: self, role: .upstream, elementIndex: 0, tier: 0))
        }
    }

    public func open(_ symbol: ResolvedSymbol) throws(SymbolStoreError) -> OpenedSymbolFile {
        guard case .file(let path) = symbol.form, let hit = lookup(symbol.request),
              let content = files[hit.spelling.name]?[hit.spelling.key] else {
            throw SymbolStoreError(.notFound, "\(symbol.request)")
        }
        // A shared memory object unlinked at once: memory, with a descriptor pread and splice accept.
        let objectName = "/symfs-test-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let descriptor = shm_open(objectName, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SymbolStoreError(.internal, "shm_open: \(errno)") }
        shm_unlink(objectName)
        let written = content.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        guard written == content.count else {
            close(descriptor)
            throw SymbolStoreError(.internal, "cannot fill a memory file for \(path)")
        }
        return OpenedSymbolFile(descriptor: descriptor, size: symbol.size, path: path)
    }
}
