import FuzzSupport
@testable import SymbolFormats
@testable import SymbolStore

/// `name_` files that are cabinets: the size an HTTP store reads from the first bytes (`CabinetHeader`), then
/// libmspack's reading of the headers and the extraction of the one member, from a file. Nothing traps, and when
/// both readings of the headers succeed they give the member the same size.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = FuzzInput.bytes(data, size)
    let prefixSize = CabinetHeader.uncompressedSize(bytes)
    let path = FuzzInput.file(data, size)
    _ = CompressedArchive.hasMagic(path)
    guard let cabinet = try? Cabinet(path: path) else { return 0 }
    if case .size(let headerSize) = prefixSize {
        FuzzInput.require(headerSize == cabinet.uncompressedSize,
                          "CabinetHeader says \(headerSize) bytes, libmspack \(cabinet.uncompressedSize)")
    }
    try? cabinet.extract(to: FuzzInput.discard)
    return 0
}

FuzzInput.run(fuzz)
