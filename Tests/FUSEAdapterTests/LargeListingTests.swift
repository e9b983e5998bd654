import Foundation
import Testing
import SymbolFileSystem
import SymbolStore
import TestSupport

/// Listings of a 5,000-file local store through a real mount over a real symbol path: every listing of the
/// flat view, of the root and of a name directory is complete (a listing that large spans many readdir
/// replies, and each opendir reads the stores anew).
@Suite(.serialized)
struct LargeListingTests {
    static let singleKeyNames = 4_000
    static let keysOfMany = 1_000
    let store: TemporaryDirectory
    let mount: InProcessMount

    static func key(_ index: Int) -> String {
        String(0x6000_0000 + index, radix: 16, uppercase: true) + String(0x1000 + index, radix: 16)
    }

    /// name → keys: `lib<i>.dll` with one key each, and `many.pdb` with a thousand.
    static let files: [String: [String]] = {
        var files: [String: [String]] = [:]
        for index in 0..<singleKeyNames { files["lib\(index).dll"] = [key(index)] }
        files["many.pdb"] = (0..<keysOfMany).map { key(singleKeyNames + $0) }
        return files
    }()

    init() throws {
        store = try TemporaryDirectory("symfs-large-store")
        let content = Data("small".utf8)
        for (name, keys) in Self.files {
            for key in keys {
                try content.write(to: URL(fileURLWithPath: try store.file("store/\(name)/\(key)/\(name)")))
            }
        }
        let resolver = try makeResolver("srv*\(store.path)/store", downstream: store.path + "/downstream")
        mount = try InProcessMount(fileSystem: SymbolFileSystem(source: resolver))
    }

    func listing(_ relative: String) throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: mount.path(relative)))
    }

    @Test func everyFlatListingIsComplete() throws {
        let expected = Set(Self.files.flatMap { name, keys in keys.map { "\($0).\(name)" } } + [".ciopfs"])
        #expect(expected.count == Self.singleKeyNames + Self.keysOfMany + 1)
        for round in 0..<10 {
            let listed = try listing(".symfs/flat")
            #expect(listed == expected, "round \(round): \(listed.symmetricDifference(expected).count) entries differ")
        }
    }

    @Test func rootAndNameDirectoriesListEveryEntry() throws {
        #expect(try listing("") == Set(Self.files.keys).union(["pingme.txt", ".symfs", ".ciopfs"]))
        #expect(try listing("many.pdb") == Set(Self.files["many.pdb"]!).union([".ciopfs"]))
        #expect(try listing("lib17.dll") == [Self.key(17), ".ciopfs"])
        #expect(try listing("lib17.dll/\(Self.key(17))") == ["lib17.dll", ".ciopfs"])
    }
}
