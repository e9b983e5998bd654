import CCurl
import SystemSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libcurl's process-wide initialisation, run once before any handle or thread exists
/// (swift-fuse-notes §4: call `curl_global_init` once, before starting threads).
package let curlGlobalInitialisation: Void = {
    curl_global_init(Int(CURL_GLOBAL_ALL))
}()

/// The one thread that drives a libcurl multi handle (the multi interface is single-threaded; only
/// `curl_multi_wakeup` may be called from other threads, swift-fuse-notes §4). Transfers are handed over through
/// a locked queue and a wakeup; connections, HTTP/2 streams and the per-host limit live in the multi handle, so
/// they are shared by every caller.
package final class TransferEngine: @unchecked Sendable {
    private let multi: UnsafeMutableRawPointer
    private let queueLock = ConditionLock()
    /// Guarded by `queueLock`.
    private var queue: [CurlTransfer] = []
    private var closed = false
    private var thread = pthread_t()
    /// Only touched by the transfer thread.
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    package init?(maximumConnectionsPerHost: Int) {
        _ = curlGlobalInitialisation
        guard let multi = curl_multi_init() else { return nil }
        self.multi = multi
        ccurl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, max(1, maximumConnectionsPerHost))
        ccurl_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        let context = Unmanaged.passRetained(self).toOpaque()
        let created = pthread_create(&thread, nil, { context in
            let engine = Unmanaged<TransferEngine>.fromOpaque(context!).takeRetainedValue()
            engine.run()
            return nil
        }, context)
        guard created == 0 else {
            Unmanaged<TransferEngine>.fromOpaque(context).release()
            curl_multi_cleanup(multi)
            return nil
        }
    }

    deinit {
        curl_multi_cleanup(multi)
    }

    /// Hands a transfer to the thread; false when the engine is closed.
    package func submit(_ transfer: CurlTransfer) -> Bool {
        let accepted = queueLock.withLock { () -> Bool in
            guard !closed else { return false }
            queue.append(transfer)
            return true
        }
        if accepted { curl_multi_wakeup(multi) }
        return accepted
    }

    /// Stops the thread (transfers still running end with `clientClosed`) and waits for it.
    package func close() {
        let wasOpen = queueLock.withLock { () -> Bool in
            defer { closed = true }
            return !closed
        }
        guard wasOpen else { return }
        curl_multi_wakeup(multi)
        pthread_join(thread, nil)
    }

    private func run() {
        while true {
            let (incoming, isClosed) = queueLock.withLock { () -> ([CurlTransfer], Bool) in
                defer { queue = [] }
                return (queue, closed)
            }
            for transfer in incoming {
                if curl_multi_add_handle(multi, transfer.easy) == CURLM_OK {
                    active[transfer.easy] = transfer
                } else {
                    transfer.abandon()
                }
            }
            if isClosed {
                for (easy, transfer) in active {
                    curl_multi_remove_handle(multi, easy)
                    transfer.abandon()
                }
                active = [:]
                return
            }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                let code = message.pointee.data.result
                curl_multi_remove_handle(multi, easy)
                if let transfer = active.removeValue(forKey: easy) {
                    transfer.complete(code)
                }
            }
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
    }
}
