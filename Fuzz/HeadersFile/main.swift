import FuzzSupport
@testable import SymbolHTTP

/// The headers file (`--http-headers-file`, `HOST-SUFFIX Name: value` a line) and the command line's `HOST-SUFFIX=Name:
/// value`: nothing traps, and every header read has a host, a one-word name and a one-line value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = FuzzInput.text(data, size)
    func check(_ header: HTTPConfiguration.ExtraHeader) {
        FuzzInput.require(!header.hostSuffix.isEmpty && !header.name.isEmpty
                          && !header.name.contains(where: { $0 == " " || $0.isNewline })
                          && !header.value.contains(where: \.isNewline), "header \(header)")
    }
    if let headers = try? HTTPHeaderSetting.parseFile(text) { headers.forEach(check) }
    if let header = try? HTTPHeaderSetting.parse(text, separator: "=") { check(header) }
    return 0
}

FuzzInput.run(fuzz)
