import SymbolHTTP

extension HTTPConfiguration {
    /// The defaults, with the proxy `_NT_SYMBOL_PROXY` names (an unparsable value is an error, as for SymSrv).
    public init(environment: SymbolPathEnvironment) throws(SymbolProxyError) {
        self.init(proxy: try environment.symbolProxy()?.description)
    }
}
