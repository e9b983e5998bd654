#if canImport(Glibc)
import Glibc
#endif
import SymbolStore

extension SymbolPathEnvironment {
    /// The environment of this process.
    static var current: SymbolPathEnvironment {
        var variables: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                variables[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            entry += 1
        }
        return SymbolPathEnvironment(variables: variables, isRoot: geteuid() == 0)
    }
}
