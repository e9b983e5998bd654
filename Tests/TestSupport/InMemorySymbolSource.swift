import SymbolStore
import Foundation

/// A symbol source over files written to a temporary directory, standing in for a symbol path so the file
/// system core is tested without stores or FUSE.
public final class InMemorySymbolSource: SymbolSource, @unchecked Sendable {
    let directory: TemporaryDirectory
    /// name → key → content
    let files: [String: [String: [UInt8]]]
    let msfz: Set<String>
    let lock = NSLock()
    private var locates = 0
    public var locateCalls: Int { lock.withLock { locates } }

    public init(files: [String: [String: [UInt8]]], msfz: Set<String> = []) throws {
        directory = try TemporaryDirectory("symfs-core")
        self.files = files
        self.msfz = msfz
        for (name, keys) in files {
            for (key, content) in keys {
                try Data(content).write(to: URL(fileURLWithPath: try directory.file("\(name)/\(key)/\(name)")))
            }
        }
    }

    func canonicalName(_ name: String) -> String? {
        files.keys.first { $0.lowercased() == name.lowercased() }
    }

    public func names() throws(SymbolStoreError) -> [String] { files.keys.sorted() }

    public func keys(of name: String) throws(SymbolStoreError) -> [String] {
        canonicalName(name).map { files[$0]!.keys.sorted() } ?? []
    }

    public func variants(of name: String, key: String) throws(SymbolStoreError) -> Set<SymbolRequest.Variant> {
        guard let name = canonicalName(name), files[name]![key] != nil else { return [] }
        return msfz.contains("\(name)/\(key)") ? [.plain, .msfz0] : [.plain]
    }

    public func locate(_ request: SymbolRequest) throws(SymbolStoreError) -> SymbolLocation? {
        lock.withLock { locates += 1 }
        guard let name = canonicalName(request.name),
              let content = files[name]!.first(where: { $0.key.lowercased() == request.key.lowercased() }) else {
            return nil
        }
        if request.variant == .msfz0, !msfz.contains("\(name)/\(content.key)") { return nil }
        return SymbolLocation(
            request: request, form: .file(path: "\(directory.path)/\(name)/\(content.key)/\(name)"),
            size: UInt64(content.value.count), modificationTime: 1_700_000_000, elementIndex: 0,
            storeRoot: directory.path)
    }

    public func open(_ location: SymbolLocation) throws(SymbolStoreError) -> OpenedSymbolFile {
        guard case .file(let path) = location.form else { throw SymbolStoreError(.internal, "form") }
        let descriptor = Foundation.open(path, O_RDONLY)
        guard descriptor >= 0 else { throw SymbolStoreError(.notFound, path) }
        return OpenedSymbolFile(descriptor: descriptor, size: location.size, path: path)
    }
}
