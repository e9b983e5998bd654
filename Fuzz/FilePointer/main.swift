import FuzzSupport
@testable import SymbolStore

/// `file.ptr` text: reading it never traps, and what it names is one trimmed, non-empty line.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = FuzzInput.text(data, size)
    switch FilePointer(text: text) {
    case .path(let path):
        FuzzInput.require(!path.isEmpty && !path.contains(where: \.isNewline), "path \(String(reflecting: path))")
    case .message(let message):
        FuzzInput.require(!message.contains(where: \.isNewline), "message \(String(reflecting: message))")
    case nil:
        break
    }
    // The same text read from a file, as stores do (at most 64 KiB of it).
    _ = FilePointer.read(FuzzInput.file(data, size))
    return 0
}

FuzzInput.run(fuzz)
