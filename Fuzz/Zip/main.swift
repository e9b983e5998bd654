import FuzzSupport
@testable import SymbolFormats

/// `name_` files that are ZIPs: the local header an HTTP store reads first, the central directory read from the
/// end of the file (whole, and as the last part an HTTP store fetches), then the archive read from a file and its
/// one member extracted. Nothing traps, and a member found lies inside the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = FuzzInput.bytes(data, size)
    let fileSize = UInt64(size)
    _ = ZipLayout.uncompressedSize(localHeader: bytes)
    _ = ZipLayout.uncompressedSize(localHeader: Array(bytes.prefix(ZipLayout.localHeaderSize)))
    func check(_ reading: ZipLayout.Reading<ZipLayout.Member>) {
        if case .found(let member) = reading {
            FuzzInput.require(member.localHeaderOffset < fileSize
                              && member.compressedSize <= fileSize - member.localHeaderOffset, "member \(member)")
        }
    }
    check(ZipLayout.member(tail: bytes, tailOffset: 0, fileSize: fileSize))
    // The last part only, as fetched by a range request; the first byte chooses how much of it.
    let tailCount = min(size, Int(bytes.first ?? 0) + ZipLayout.endRecordSize)
    let tailOffset = UInt64(size - tailCount)
    let tail = Array(bytes[(size - tailCount)...])
    let reading = ZipLayout.member(tail: tail, tailOffset: tailOffset, fileSize: fileSize)
    check(reading)
    if case .needBytes(let offset) = reading {
        FuzzInput.require(offset <= tailOffset, "asks for bytes from \(offset), after the tail's \(tailOffset)")
    }
    if let offset = ZipLayout.dataOffset(localHeader: bytes, at: 0) {
        FuzzInput.require(offset >= UInt64(ZipLayout.localHeaderSize), "data at \(offset)")
    }
    let path = FuzzInput.file(data, size)
    guard let archive = try? CompressedArchive(path: path) else { return 0 }
    try? archive.extract(to: FuzzInput.discard)
    return 0
}

FuzzInput.run(fuzz)
