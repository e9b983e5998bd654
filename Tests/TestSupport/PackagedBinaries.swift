import Foundation

/// Real .NET images and their Portable PDBs, shipped in PyPI `clr_loader` (installed by
/// Mount/install-dependencies): `ffi/dlls/{amd64,x86}/ClrLoader.{dll,pdb}`, a PE32+ and a PE32 image.
/// No tool here writes Portable PDBs, so these are the only real ones the tests have.
public enum PackagedBinaries {
    public static let clrLoaderVersion = "0.3.1"

    /// The (image, Portable PDB) pairs, or an error saying how to install them.
    public static func clrLoader() throws -> [WindowsBinary] {
        let script =
            "import importlib.util; print(importlib.util.find_spec('clr_loader').submodule_search_locations[0])"
        let package = try runChecked("python3", ["-c", script]).standardOutput
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return try ["amd64", "x86"].map { architecture in
            let directory = "\(package)/ffi/dlls/\(architecture)"
            let binary = WindowsBinary(image: "\(directory)/ClrLoader.dll", pdb: "\(directory)/ClrLoader.pdb")
            for file in [binary.image, binary.pdb] where !FileManager.default.fileExists(atPath: file) {
                throw CommandError(
                    command: "clr_loader", status: 1,
                    output: "\(file) is missing: pip install clr_loader==\(clrLoaderVersion)")
            }
            return binary
        }
    }
}
