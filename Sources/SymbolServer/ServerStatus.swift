import HTTPTypes
import SymbolStore

/// The one place a store error becomes an HTTP status (docs/symbol-stores.md §4.1): a server too slow for the
/// lookup deadline is 504, any other failure of a server or of what it sent is 502, a failure of this machine's
/// stores is 500. A miss is never an error: it is a 404 the responder gives.
enum ServerStatus {
    static func of(_ error: SymbolStoreError) -> HTTPResponse.Status {
        switch error.kind {
        case .notFound: return .notFound
        case .upstreamUnavailable(.timeout): return .gatewayTimeout
        case .upstreamUnavailable, .contentRejected, .corruptArchive: return .badGateway
        case .noSpace, .permission, .internal: return .internalServerError
        }
    }
}
