import FuzzSupport
@testable import SymbolFormats

/// PDB 7.0 files (MSF 7.00: stream directory, PDB info and DBI streams): reading the key never traps and agrees with
/// what `SymbolFile` (which tells the formats apart by their first bytes) reads from the same file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = FuzzInput.file(data, size)
    guard let file = try? RandomAccessFile(path: path) else { fatalError("cannot open \(path)") }
    let direct = try? MSFPDB(file)
    let sniffed = try? SymbolFile(file)
    if let direct {
        FuzzInput.require(sniffed == .pdb70(direct), "MSFPDB read \(direct), SymbolFile \(String(describing: sniffed))")
        _ = direct.key
    }
    return 0
}

FuzzInput.run(fuzz)
