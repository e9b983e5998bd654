import SymbolHTTP
import SystemSupport

/// A server's `AdminIndex`, read from its `000Admin` folder: `lastid.txt`, then the transaction files, newest
/// first. The first lookup that needs it starts the read (lookups that come meanwhile wait for it); a read spends
/// at most `adminReadBudget`, and a lookup that misses goes on with an unfinished read, or after
/// `adminIndexRefresh` reads what was added since. Servers without `000Admin` cost one request per refresh period.
extension HTTPSymbolStore {
    struct AdminIndexRead: Sendable {
        var index: AdminIndex?
        var readAt: Duration?
        var reading = false
    }

    /// Transaction files asked at once.
    static let adminBatch = 8
    static let adminTransactionBytes = 16 << 20
    /// How long one lookup spends reading `000Admin` at most.
    static let adminReadBudget = Duration.seconds(2)

    func adminIndex(deadline: Duration) -> AdminIndex? {
        _ = firstAdminRead.value { () -> Bool in
            readAdminIndex(deadline: deadline)
            return true
        }
        return adminRead.withLock { $0.index }
    }

    var adminIndexIsStale: Bool {
        adminRead.withLock { read in
            guard !read.reading else { return false }
            guard let readAt = read.readAt else { return true }
            return read.index?.isComplete == false || settings.clock.now() - readAt >= settings.adminIndexRefresh
        }
    }

    /// Reads on from where the last read stopped; one caller at a time, others go on with the index as it is.
    func readAdminIndex(deadline: Duration) {
        guard var index = adminRead.withLock({ read -> AdminIndex? in
            guard !read.reading else { return nil }
            read.reading = true
            return read.index ?? AdminIndex()
        }) else { return }
        var exists = true
        defer {
            let now = settings.clock.now()
            adminRead.withLock { read in
                read.index = exists ? index : nil
                read.readAt = now
                read.reading = false
            }
        }
        let deadline = min(deadline, MonotonicTime.now() + Self.adminReadBudget)
        let folder = root + "/000Admin"
        let sink = ProbeSink(limit: 64)
        guard let head = try? client.fetch(HTTPRequest(url: folder + "/lastid.txt", deadline: deadline), sink: sink) else {
            exists = index.newest > 0
            return
        }
        guard head.isSuccess, !SymbolContent.isHTML(sink.bytes, contentType: head.contentType),
              let last = AdminIndex.lastID(sink.bytes) else {
            exists = head.isSuccess && index.newest > 0
            return
        }
        index.start(at: last)
        while MonotonicTime.now() < deadline {
            let ids = index.unread(upTo: last, count: Self.adminBatch)
            guard !ids.isEmpty else { break }
            let sinks = ids.map { _ in ProbeSink(limit: Self.adminTransactionBytes) }
            let answers = client.fetchAll(zip(ids, sinks).map { id, sink in
                (request: HTTPRequest(url: folder + "/" + AdminIndex.fileName(id), deadline: deadline),
                 sink: sink as any HTTPBodySink)
            })
            for (offset, answer) in answers.enumerated() {
                switch answer {
                case .success(let head) where head.isSuccess:
                    index.read(ids[offset], text: sinks[offset].bytes)
                case .success(let head) where [403, 404, 410].contains(head.status):
                    index.read(ids[offset], text: nil)  // deleted (PyPI symstore renames it `.deleted`)
                default:
                    logger.info("\(root): 000Admin/\(AdminIndex.fileName(ids[offset])) unreadable now")
                    return
                }
            }
        }
        logger.debug("\(root): 000Admin lists \(index.count) files\(index.isComplete ? "" : " so far")")
    }
}
