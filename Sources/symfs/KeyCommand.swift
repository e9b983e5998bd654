import ArgumentParser
import SymbolStore
import SymbolFormats

struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Print where a symbol store files each file: name/KEY/name.",
        discussion: """
            PE images (.exe, .dll, .sys; PE32 and PE32+) are keyed by TimeDateStamp and SizeOfImage, PDB 7.0 by \
            GUID and the DBI stream's age, PDB 2.0 by signature and age, Portable PDBs by GUID and FFFFFFFF. \
            Files are recognised by their content, not their names.
            """
    )

    @Flag(name: .customLong("pdb-of"), help: "Print the PDB each PE image names in its CodeView record instead.")
    var pdbOf = false

    @Flag(name: .shortAndLong, help: "Also print the fields the key is made of.")
    var verbose = false

    @Argument(help: "Files to key.")
    var files: [String]

    func run() throws {
        var failed = false
        for file in files {
            do {
                let symbolFile = try SymbolFile(path: file)
                if pdbOf {
                    guard case .peImage(let image) = symbolFile else {
                        throw SymbolFileError.missing(path: file, what: "is a \(symbolFile.kind.rawValue), not a PE image")
                    }
                    guard let pdb = image.pdb else {
                        throw SymbolFileError.missing(path: file, what: "has no CodeView record (linked without /debug)")
                    }
                    print(pdb.symbolKey)
                    if verbose { Self.describe(pdb) }
                } else {
                    print(symbolFile.symbolKey(name: Self.fileName(file)))
                    if verbose { Self.describe(symbolFile) }
                }
            } catch let error as SymbolFileError {
                printError("symfs: \(error)")
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }

    static func fileName(_ path: String) -> String {
        String(path.split(separator: "/").last ?? Substring(path))
    }

    static func describe(_ file: SymbolFile) {
        print("  kind: \(file.kind.rawValue)")
        switch file {
        case .peImage(let image):
            print("  TimeDateStamp: 0x\(String(image.timeDateStamp, radix: 16))")
            print("  SizeOfImage: 0x\(String(image.sizeOfImage, radix: 16))")
            print("  format: \(image.isPE32Plus ? "PE32+" : "PE32")")
            if let pdb = image.pdb { print("  pdb: \(pdb.path) -> \(pdb.symbolKey)") }
        case .pdb70(let pdb):
            print("  GUID: \(pdb.guid)")
            print("  age (DBI): \(pdb.dbiAge.map { String($0) } ?? "none")")
            print("  age (PDB info): \(pdb.infoAge)")
        case .pdb20(let pdb):
            print("  signature: 0x\(String(pdb.signature, radix: 16))")
            print("  age: \(pdb.age)")
        case .portablePDB(let pdb):
            print("  GUID: \(pdb.guid)")
            print("  stamp: 0x\(String(pdb.stamp, radix: 16))")
        case .separateDebug(let debug):
            print("  TimeDateStamp: 0x\(String(debug.timeDateStamp, radix: 16))")
            print("  SizeOfImage: 0x\(String(debug.sizeOfImage, radix: 16))")
        }
    }

    static func describe(_ pdb: PDBReference) {
        print("  path in image: \(pdb.path)")
        switch pdb.identity {
        case .guid(let guid, let age, let portable):
            print("  kind: \(portable ? "Portable PDB" : "PDB 7.0") (RSDS)")
            print("  GUID: \(guid)")
            print("  age: \(age)")
        case .signature(let signature, let age):
            print("  kind: PDB 2.0 (NB10)")
            print("  signature: 0x\(String(signature, radix: 16))")
            print("  age: \(age)")
        }
    }
}
