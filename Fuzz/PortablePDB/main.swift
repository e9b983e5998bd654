import FuzzSupport
@testable import SymbolFormats

/// Portable PDBs (ECMA-335 metadata with a `#Pdb` stream): reading the key never traps and agrees with what
/// `SymbolFile` (which tells the formats apart by their first bytes) reads from the same file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = FuzzInput.file(data, size)
    guard let file = try? RandomAccessFile(path: path) else { fatalError("cannot open \(path)") }
    let direct = try? PortablePDB(file)
    let sniffed = try? SymbolFile(file)
    if let direct {
        FuzzInput.require(
            sniffed == .portablePDB(direct), "PortablePDB read \(direct), SymbolFile \(String(describing: sniffed))")
        _ = direct.key
    }
    return 0
}

FuzzInput.run(fuzz)
