import FuzzSupport
@testable import SymbolStore

/// Symbol paths (`_NT_SYMBOL_PATH`, `--symbol-path`) and `_NT_SYMBOL_PROXY`: parsing never traps, a parsed path reads
/// back the same from its own spelling, and an error points into the text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = FuzzInput.text(data, size)
    do throws(SymbolPathError) {
        let path = try SymbolPathParser.parse(text)
        let spelled = path.description
        let again = try? SymbolPathParser.parse(spelled)
        FuzzInput.require(
            again == path, "\(String(reflecting: text)) is \(path), spelled \(String(reflecting: spelled)), "
                + "which reads back as \(String(describing: again))")
        for index in path.elements.indices { _ = path.caches(forElementAt: index) }
        _ = path.expanded(defaultDownstream: "/var/cache/symfs").description
        _ = path.absolutized(currentDirectory: "/work", home: "/home/user").description
    } catch {
        FuzzInput.require(error.column >= 1 && error.column <= text.count + 1,
                          "column \(error.column) outside \(String(reflecting: text)) (\(text.count) characters)")
    }
    let environment = SymbolPathEnvironment(
        variables: ["_NT_SYMBOL_PATH": text, "_NT_SYMBOL_PROXY": text], isRoot: false)
    _ = try? environment.symbolPath()
    if let proxy = try? environment.symbolProxy() {
        FuzzInput.require((1...65535).contains(proxy.port), "proxy port \(proxy.port)")
    }
    return 0
}

FuzzInput.run(fuzz)
