import Foundation
import SymbolStore

/// Stores of every local layout, built once per test process from real PE/PDB files (fixtures.md):
/// `flat` by PyPI symstore, `compressed` by symstore -z (CAB via GCab), `twoTier` and `pointers` by hand, and a
/// plain directory. Each file lives in exactly one of them, except `common.pdb`, whose two versions (two GUIDs)
/// sit in `flat` and `compressed` so that the name's directory merges keys from both.
public final class MountFixture: Sendable {
    public let directory: String
    public let flat: String
    public let compressed: String
    public let twoTier: String
    public let pointers: String
    public let pointerTargets: String
    public let plain: String
    /// Every file, with the store that holds it.
    public let files: [(file: SampleFile, store: String)]

    public static let shared: MountFixture = {
        do { return try MountFixture() } catch { fatalError("cannot build the mount fixture: \(error)") }
    }()

    public static let symstoreWithCompression = "/opt/symfs-test-venv/bin/symstore"

    private init() throws {
        directory = "/tmp/symfs-mount-fixture-\(getpid())"
        try? FileManager.default.removeItem(atPath: directory)
        atexit { try? FileManager.default.removeItem(atPath: "/tmp/symfs-mount-fixture-\(getpid())") }
        let build = directory + "/build"
        (flat, compressed, twoTier, pointers, pointerTargets, plain) = (
            directory + "/flat", directory + "/compressed", directory + "/two-tier", directory + "/pointers",
            directory + "/pointer-targets", directory + "/plain")
        for folder in [build, build + "/one", build + "/two", twoTier, pointers, pointerTargets, plain] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        func make(_ name: String, _ tag: String, dll: Bool = false, in folder: String = build, pdb: String? = nil)
            throws -> (SampleFile, SampleFile) {
            let binary = try WindowsBinaries.build(
                name: name, source: WindowsBinaries.source(tag: tag, functions: tag.count % 4 + 1), dll: dll,
                in: folder, pdbName: pdb)
            return (try SampleFile(binary.image), try SampleFile(binary.pdb))
        }
        let alpha = try make("alpha.exe", "alpha")
        let beta = try make("beta.dll", "beta", dll: true)
        let gamma = try make("gamma.exe", "gamma")
        let delta = try make("delta.dll", "delta", dll: true)
        let epsilon = try make("epsilon.exe", "epsilon")
        let common1 = try make("common1.exe", "common-one", in: build + "/one", pdb: "common.pdb").1
        let common2 = try make("common2.exe", "common-two", in: build + "/two", pdb: "common.pdb").1

        try StoreWriter.symstore([alpha.0, alpha.1, common1], at: flat)
        try runChecked(Self.symstoreWithCompression, ["-z", compressed, beta.0.path, beta.1.path, common2.path])

        // Two-tier (spec §2.1): index2.txt, then <first two characters>/name/key/name.
        try StoreWriter.write("", at: twoTier, "index2.txt")
        for file in [gamma.0, gamma.1] {
            try StoreWriter.place(file.path, at: twoTier, "\(file.name.prefix(2))/\(file.name)/\(file.key)/\(file.name)")
        }
        // file.ptr (spec §2.4): PATH: to a file outside the store.
        for file in [delta.0, delta.1] {
            try StoreWriter.place(file.path, at: pointerTargets, file.name)
            try StoreWriter.write("PATH:\(pointerTargets)/\(file.name)", at: pointers, "\(file.name)/\(file.key)/file.ptr")
        }
        try StoreWriter.write("", at: pointers, "pingme.txt")
        // A plain directory (spec §1.3): the PDB in the folder of its module's extension.
        try StoreWriter.place(epsilon.0.path, at: plain, epsilon.0.name)
        try StoreWriter.place(epsilon.1.path, at: plain, "exe/\(epsilon.1.name)")

        files = [(alpha.0, flat), (alpha.1, flat), (common1, flat), (beta.0, compressed), (beta.1, compressed),
                 (common2, compressed), (gamma.0, twoTier), (gamma.1, twoTier), (delta.0, pointers),
                 (delta.1, pointers), (epsilon.0, plain), (epsilon.1, plain)]
    }

    /// The fixture's stores as one symbol path: `cache*CACHE;srv*flat;srv*DOWNSTREAM*compressed;…`.
    public func symbolPath(cache: String, downstream: String) -> String {
        "cache*\(cache);srv*\(flat);srv*\(downstream)*\(compressed);srv*\(twoTier);srv*\(pointers);\(plain)"
    }
}
