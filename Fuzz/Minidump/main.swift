import FuzzSupport
@testable import SymbolFormats

/// Minidumps (`MDMP`: the stream directory, module and unloaded module lists, CodeView and misc records): reading
/// never traps, and every module read is whole or carries its problem.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = FuzzInput.file(data, size)
    guard let file = try? RandomAccessFile(path: path) else { fatalError("cannot open \(path)") }
    guard let dump = try? Minidump(file) else { return 0 }
    FuzzInput.require(dump.modules.count <= 2 * 65_536, "\(dump.modules.count) modules")
    for module in dump.modules {
        FuzzInput.require(module.name.utf8.count <= 4 * 65_536, "a name of \(module.name.utf8.count) bytes")
        _ = module.symbolKeys
    }
    return 0
}

FuzzInput.run(fuzz)
