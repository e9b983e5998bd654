import SymbolHTTP
extension SymbolStoreError {
    /// A fetch from a server that failed, as the store core reports it.
    init(upstream error: HTTPError) {
        let failure: UpstreamFailure
        switch error.kind {
        case .timedOut: failure = .timeout
        case .connectFailed, .resolveFailed: failure = .refused
        case .status(let code): failure = .status(code)
        case .clientClosed, .invalidURL: self.init(.internal, error.description); return
        case .connectionReset, .tls, .tooManyRedirects, .forbiddenRedirect, .truncated, .protocolError, .other:
            failure = .transport
        }
        self.init(.upstreamUnavailable(failure), error.description)
    }
}
