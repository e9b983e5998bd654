import SymbolHTTP
import SystemSupport

/// A server's `AdminIndex`, read from its `000Admin` folder: `lastid.txt`, then the transaction files, newest
/// first. The first lookup that needs it starts the read (lookups that come meanwhile wait for it). A read asks
/// at most `adminFilesPerRead` transaction files and spends at most `adminReadBudget`, and a lookup reads at most
/// once: a later miss reads on while the index is unfinished, and after `adminIndexRefresh` reads what was added
/// since. A read that fails (a 5xx, a 429, a timeout) is not tried again within `adminIndexRefresh`. Servers
/// without `000Admin` cost one request per refresh period.
extension HTTPSymbolStore {
    struct AdminIndexRead: Sendable {
        var index: AdminIndex?
        var readAt: Duration?
        var failed = false
        var reading = false
    }

    /// Transaction files asked at once.
    static let adminBatch = 4
    static let adminFilesPerRead = 64
    static let adminTransactionBytes = 2 << 20
    static let adminReadBudget = Duration.seconds(2)

    /// The index after the first read (done by this call when `didRead` comes back true).
    func adminIndex(deadline: Duration) -> (index: AdminIndex?, didRead: Bool) {
        var didRead = false
        _ = firstAdminRead.value { () -> Bool in
            readAdminIndex(deadline: deadline)
            didRead = true
            return true
        }
        return (adminRead.withLock { $0.index }, didRead)
    }

    var adminIndexIsStale: Bool {
        let now = settings.clock.now()
        return adminRead.withLock { read in
            guard !read.reading else { return false }
            guard let readAt = read.readAt else { return true }
            let due = now - readAt >= settings.adminIndexRefresh
            return read.failed ? due : (due || read.index?.isComplete == false)
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
        var failed = false
        defer {
            let now = settings.clock.now()
            adminRead.withLock { read in
                read.index = exists ? index : nil
                read.readAt = now
                read.failed = failed
                read.reading = false
            }
        }
        let deadline = min(deadline, MonotonicTime.now() + Self.adminReadBudget)
        let folder = root + "/000Admin"
        let sink = ProbeSink(limit: 64)
        guard let head = try? client.fetch(HTTPRequest(url: folder + "/lastid.txt", deadline: deadline), sink: sink) else {
            (exists, failed) = (index.known > 0, true)
            return
        }
        switch head.status {
        case 200..<300:
            guard !SymbolContent.isHTML(sink.bytes, contentType: head.contentType),
                  let last = AdminIndex.lastID(sink.bytes) else {
                exists = false
                return
            }
            index.observe(lastID: last)
        case 403, 404, 410:
            exists = false
            return
        default:
            (exists, failed) = (index.known > 0, true)
            return
        }
        var asked = 0
        while asked < Self.adminFilesPerRead, MonotonicTime.now() < deadline {
            let ids = index.unread(count: min(Self.adminBatch, Self.adminFilesPerRead - asked))
            guard !ids.isEmpty else { break }
            asked += ids.count
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
                    failed = true
                    return
                }
            }
        }
        logger.debug("\(root): 000Admin lists \(index.count) files\(index.isComplete ? "" : " so far")")
    }
}
