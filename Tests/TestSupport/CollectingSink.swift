import Foundation
import SymbolStore
import SymbolHTTP

/// An `HTTPBodySink` that keeps what it is given, optionally stopping after `limit` body bytes.
public final class CollectingSink: HTTPBodySink, @unchecked Sendable {
    private let lock = NSLock()
    private var _heads: [HTTPResponseHead] = []
    private var _body = Data()
    private let limit: Int?

    public init(limit: Int? = nil) {
        self.limit = limit
    }

    /// Every head passed to the sink (a fetch passes exactly one).
    public var heads: [HTTPResponseHead] { lock.withLock { _heads } }
    public var body: Data { lock.withLock { _body } }

    public func head(_ head: HTTPResponseHead) -> Bool {
        lock.withLock { _heads.append(head) }
        return true
    }

    public func body(_ bytes: UnsafeRawBufferPointer) -> Bool {
        lock.withLock {
            _body.append(contentsOf: bytes)
            if let limit { return _body.count < limit }
            return true
        }
    }
}
