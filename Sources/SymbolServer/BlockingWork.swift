import NIOPosix
import SymbolStore

/// Runs the store core's blocking calls (lookups that may wait on a server, opens, waits for a download's bytes,
/// disk reads) on a pool of threads of its own, never on an event loop or Swift's cooperative pool.
package struct BlockingWork: Sendable {
    let pool: NIOThreadPool

    package init(threads: Int) {
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
    }

    func run<Value: Sendable>(_ work: @escaping @Sendable () throws(SymbolStoreError) -> Value) async throws(SymbolStoreError) -> Value {
        let result: Result<Value, SymbolStoreError>
        do {
            result = try await pool.runIfActive { () -> Result<Value, SymbolStoreError> in
                do throws(SymbolStoreError) {
                    return .success(try work())
                } catch {
                    return .failure(error)
                }
            }
        } catch {
            throw SymbolStoreError(.internal, "the server is stopping")
        }
        return try result.get()
    }

    package func shutdown() async {
        try? await pool.shutdownGracefully()
    }
}
