import Hummingbird
import NIOCore

/// Hummingbird's basic request context, plus the connection's channel: file bodies hand their descriptor to the
/// channel's `SendfileHandler`.
package struct SymbolRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    let channel: any Channel

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
