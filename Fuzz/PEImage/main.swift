import FuzzSupport
@testable import SymbolFormats

/// PE images (`MZ`, PE32 and PE32+; the CodeView record that names the PDB): reading the key never traps and agrees
/// with what `SymbolFile` (which tells the formats apart by their first bytes) reads from the same file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = FuzzInput.file(data, size)
    guard let file = try? RandomAccessFile(path: path) else { fatalError("cannot open \(path)") }
    let direct = try? PEImage(file)
    let sniffed = try? SymbolFile(file)
    if let direct {
        FuzzInput.require(
            sniffed == .peImage(direct), "PEImage read \(direct), SymbolFile \(String(describing: sniffed))")
        _ = direct.key
        _ = direct.pdb?.symbolKey
    }
    return 0
}

FuzzInput.run(fuzz)
