import SymbolHTTP
#if canImport(Glibc)
import Glibc
#endif

/// Downloads read an HTTP store's files through its client: a range (206 expected) or the whole body (200).
extension HTTPSymbolStore {
    public func fetch(
        _ file: RemoteFile, range: Range<UInt64>?, urgent: Bool, receive: (UnsafeRawBufferPointer) -> Bool
    ) throws(SymbolStoreError) {
        let sink = ForwardingSink(expectRange: range != nil)
        let head: HTTPResponseHead
        do {
            head = try withoutActuallyEscaping(receive) { receive in
                sink.receive = receive
                defer { sink.receive = nil }
                return try client.fetch(HTTPRequest(url: file.url, range: range, lane: urgent ? .interactive : .bulk), sink: sink)
            }
        } catch let error as HTTPError {
            throw SymbolStoreError(upstream: error)
        } catch {
            throw SymbolStoreError(.internal, "\(file.url): \(error)")
        }
        if let refused = sink.refusal {
            throw SymbolStoreError(.upstreamUnavailable(.status(head.status)), "\(file.url): \(refused) (status \(head.status))")
        }
    }
}

/// Hands a download's body to its receiver, after checking the answer is the one asked for: a range must come
/// back as 206 starting where asked, a whole file as 200.
private final class ForwardingSink: HTTPBodySink, @unchecked Sendable {
    let expectRange: Bool
    var receive: ((UnsafeRawBufferPointer) -> Bool)?
    var refusal: String?

    init(expectRange: Bool) {
        self.expectRange = expectRange
    }

    func head(_ head: HTTPResponseHead) -> Bool {
        if expectRange ? head.status != 206 : head.status != 200 {
            refusal = expectRange ? "the server did not answer the range request" : "unexpected answer"
            return false
        }
        return true
    }

    func body(_ bytes: UnsafeRawBufferPointer) -> Bool {
        receive?(bytes) ?? false
    }
}
