/// What the environment says about symbol paths: the debuggers' variables and where the default downstream store
/// lives on this machine.
public struct SymbolPathEnvironment: Sendable {
    public var variables: [String: String]
    public var isRoot: Bool

    public init(variables: [String: String], isRoot: Bool) {
        self.variables = variables
        self.isRoot = isRoot
    }

    /// The path the debuggers build when none is given: `_NT_ALT_SYMBOL_PATH` first, then `_NT_SYMBOL_PATH`
    /// (MSDN-dbg general-environment-variables); nil when neither is set.
    public var symbolPathText: String? {
        let parts = ["_NT_ALT_SYMBOL_PATH", "_NT_SYMBOL_PATH"].compactMap { name -> String? in
            guard let value = variables[name], value.contains(where: { !$0.isWhitespace && $0 != ";" }) else {
                return nil
            }
            return value
        }
        return parts.isEmpty ? nil : parts.joined(separator: ";")
    }

    /// The symbol path from the environment, or what `.symfix` sets when the environment has none.
    public func symbolPath() throws(SymbolPathError) -> SymbolPath {
        guard let text = symbolPathText else { return .symfix() }
        return try SymbolPath(parsing: text)
    }

    /// `_NT_SYMBOL_PROXY`, the proxy SymSrv uses for HTTP stores (`host:port`).
    public func symbolProxy() throws(SymbolProxyError) -> SymbolProxy? {
        guard let value = variables["_NT_SYMBOL_PROXY"], !value.allSatisfy(\.isWhitespace) else { return nil }
        return try SymbolProxy(parsing: value)
    }

    /// Where the default downstream store (the empty token, `cache*`) lives:
    /// - `$DBGHELP_HOMEDIR/sym`, as the debuggers do when that variable is set;
    /// - `/var/cache/symfs` for root, so that system mounts and services share one cache;
    /// - otherwise `$XDG_CACHE_HOME/symfs`, or `~/.cache/symfs` (the XDG base directory default).
    public var defaultDownstreamStore: String {
        if let home = nonEmpty("DBGHELP_HOMEDIR") {
            return LocalFileSystem.join(home, "sym")
        }
        if isRoot {
            return "/var/cache/symfs"
        }
        if let cache = nonEmpty("XDG_CACHE_HOME"), cache.hasPrefix("/") {
            return LocalFileSystem.join(cache, "symfs")
        }
        return LocalFileSystem.join(nonEmpty("HOME") ?? "/tmp", ".cache", "symfs")
    }

    private func nonEmpty(_ name: String) -> String? {
        guard let value = variables[name], !value.isEmpty else { return nil }
        return value
    }
}
