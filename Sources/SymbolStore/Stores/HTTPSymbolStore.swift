import Logging
import SymbolFormats
import SymbolHTTP
import SystemSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A symbol store on an HTTP server (`srv*…*https://server/symbols`), probed the way SymSrv does (spec §3.1):
/// `GET <base>/index2.txt` once to learn the layout, then per file `name`, `name_` (CAB) and `file.ptr`.
///
/// Case (spec §2.7, §7 #1–#3): Microsoft's server finds a file in any case, but nginx, S3, Azure Blob and Apache
/// only in the spelling it was written in, and writers differ (`SpellingRule`). A lookup asks the file in one
/// spelling first (the one the server's last hit used, else Microsoft's), then every other form and spelling at
/// once: at most 3 × 6 = 18 requests in two round trips, the same two as a miss that only tries Microsoft's and
/// the SSQP spelling. Spellings come from `SpellingRule.probeOrder` and, for names written in mixed case, from
/// the server's `000Admin` (`AdminIndex`). After the first hit, that file is asked in another case, beside a file
/// no store holds: a server that answers the first with the same bytes and the second with a 404 is
/// case-insensitive, and its misses then cost 3 requests (`name`, `name_`, `file.ptr` in Microsoft's spelling)
/// and are remembered in any case.
///
/// A probe is a GET of the first 4 KiB (`Range: bytes=0-4095`): a 206 gives the size from Content-Range and shows
/// that ranges work, a 200 gives it from Content-Length (the rest is not read). The first bytes must be a symbol
/// file of the kind the name says (spec §8: `MZ`, MSF 7.00, `BSJB`, MSFZ, `MSCF`, `PK\3\4`; and PDB 2.0's `JG`): HTML, empty bodies and
/// the wrong kind are misses, never files (spec §7 #8).
///
/// Misses (404, 410, and 403 which S3 answers for absent keys) are remembered for `missTimeout`. Other failures
/// are not remembered as misses; they count toward the server's blackout (spec §3.5) and make the lookup throw an
/// `upstreamUnavailable` error. `SymbolPathResolver` then goes on with later stores and reports the failure only
/// when none of them has the file, so a failing server never hides a file and never reads as a miss.
///
/// Servers are not listable: `names()`, `keys(of:)`, `variants(of:key:)` and `listing()` are empty, and
/// `holds` is true unless the server is blacked out (a server may hold anything).
public final class HTTPSymbolStore: RemoteSymbolStore {
    /// The base URL without a trailing slash.
    public let root: String
    public let client: HTTPClient
    public let settings: HTTPStoreSettings
    let options: StoreOptions
    let misses: NegativeCache
    let health: ServerBlackout
    /// Unknown until `index2.txt` has been asked for successfully; asked by one lookup at a time.
    private let layout = SingleFlight<StoreLayout, HTTPError>()
    let casing: ServerCasing
    let adminRead = Locked(AdminIndexRead())
    let firstAdminRead = SingleFlight<Bool, Never>()

    var logger: Logger { options.logger }

    public init(baseURL: String, client: HTTPClient, options: StoreOptions, settings: HTTPStoreSettings = .init()) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        root = base
        self.client = client
        self.options = options
        self.settings = settings
        misses = NegativeCache(timeout: settings.missTimeout, capacity: settings.missCapacity, clock: settings.clock)
        casing = ServerCasing(clock: settings.clock, retryAfter: settings.adminIndexRefresh)
        health = ServerBlackout(
            count: settings.failureCount, window: settings.failureWindow, blackout: settings.blackout,
            clock: settings.clock)
    }

    /// Whether the server is skipped now after too many failures.
    public var isBlackedOut: Bool { health.isBlackedOut }

    // MARK: Lookup

    public func lookup(_ request: SymbolRequest) throws(SymbolStoreError) -> StoreHit? {
        guard StoreComponent.isValid(request.name), StoreComponent.isValid(request.key) else { return nil }
        guard !health.isBlackedOut else {
            throw SymbolStoreError(.upstreamUnavailable(.blackout), "\(root): skipped after repeated failures (blackout)")
        }
        let missKey = missKey(request)
        if misses.contains(missKey) { return nil }
        // One deadline for every request of this lookup, retries and redirects included (debuggers wait about as
        // long): a server that trickles, stalls or never accepts the connection fails it, and the path goes on.
        let deadline = MonotonicTime.now() + settings.lookupTimeout
        do throws(HTTPError) {
            let layout = try storeLayout(deadline: deadline)
            let (spellings, readIndex) = spellings(for: request, deadline: deadline)
            let candidates = probes(for: request, spellings: spellings, layout: layout)
            // The file in one spelling first, alone (what most servers answer); then the other forms and spellings
            // at once, their answers taken in order, so a miss costs two round trips, not one per probe.
            for round in [candidates.prefix(1), candidates.dropFirst()] where !round.isEmpty {
                if let hit = try firstHit(among: Array(round), request: request, deadline: deadline) {
                    misses.remove(missKey)
                    learn(from: hit, request: request, layout: layout, deadline: deadline)
                    return hit
                }
            }
            // A name written since `000Admin` was last read: one more round for the spelling it now gives.
            if casing.sensitivity != .insensitive, options.caseInsensitive, !readIndex, adminIndexIsStale {
                readAdminIndex(deadline: deadline)
                if let written = adminRead.withLock({ $0.index?.spelling(of: request) }), !spellings.contains(written),
                   let hit = try firstHit(
                       among: probes(for: request, spellings: [written], layout: layout), request: request,
                       deadline: deadline) {
                    misses.remove(missKey)
                    return hit
                }
            }
            misses.insert(missKey)
            return nil
        } catch {
            if error.isServerFailure && health.recordFailure() {
                logger.warning("\(root): \(settings.failureCount) failures; skipped for \(settings.blackout)")
            }
            logger.warning("\(request) at \(root): \(error)")
            throw SymbolStoreError(upstream: error)
        }
    }

    public func holds(name: String) -> Bool {
        StoreComponent.isValid(name) && !health.isBlackedOut
    }

    public func holds(name: String, key: String) -> Bool {
        StoreComponent.isValid(name) && StoreComponent.isValid(key) && !health.isBlackedOut
    }

    public func names() -> [String] { [] }
    public func keys(of name: String) -> [String] { [] }
    public func variants(of name: String, key: String) -> Set<SymbolRequest.Variant> { [] }
    public func listing() -> any StoreListing { StoreContents(caseInsensitive: options.caseInsensitive) }

    /// Per (name, key, variant): in any case once the server is known to find names in any case; else as
    /// asked, since the spellings probed follow the case asked (a miss of `foo.dll` says nothing of `Foo.dll`).
    private func missKey(_ request: SymbolRequest) -> String {
        let text = "\(request.variant == .msfz0 ? "z" : "p")/\(request.name)/\(request.key)"
        return options.caseInsensitive && casing.sensitivity == .insensitive ? text.lowercased() : text
    }

    // MARK: Layout (spec §2.1, §3.1 "Store tier detection")

    /// Flat or two-tier, from `GET index2.txt` (200 ⇒ two-tier, 404 ⇒ flat), asked once and remembered; lookups
    /// that come while it is asked wait for that answer. A failure is not remembered: the next lookup asks again.
    func storeLayout(deadline: Duration? = nil) throws(HTTPError) -> StoreLayout {
        try layout.value { () throws(HTTPError) -> StoreLayout in
            let sink = ProbeSink(limit: 1024)
            let url = root + "/" + StoreLayout.twoTierMarker
            let head = try client.fetch(HTTPRequest(url: url, deadline: deadline), sink: sink)
            let found: StoreLayout
            switch head.status {
            case 200..<300:
                if SymbolContent.isHTML(sink.bytes, contentType: head.contentType) {
                    logger.info("\(root): index2.txt is an HTML page; taken as a flat store")
                    found = .flat
                } else {
                    found = .twoTier
                }
            case 403, 404, 410:
                found = .flat
            default:
                throw HTTPError(kind: .status(head.status), url: url, message: "unexpected answer for index2.txt")
            }
            logger.debug("\(root): \(found == .twoTier ? "two-tier" : "flat") store")
            return found
        }
    }

    // MARK: Probes (spec §3.1 "Per store")

    typealias ProbeKind = StorePaths.Form

    struct Probe: Sendable, Hashable {
        var kind: ProbeKind
        var url: String
        /// The file name and key as spelled in this probe.
        var spelling: StoreSpelling
    }

    /// The spellings a lookup asks, in order (see the type's comment); only the request's own when the store is
    /// case-sensitive by option. `readIndex`: this call read `000Admin`.
    func spellings(for request: SymbolRequest, deadline: Duration) -> (spellings: [StoreSpelling], readIndex: Bool) {
        guard options.caseInsensitive else { return ([StoreSpelling(name: request.name, key: request.key)], false) }
        guard casing.sensitivity != .insensitive else { return ([SpellingRule.microsoft.spelling(of: request)], false) }
        var spellings: [StoreSpelling] = []
        let (index, readIndex) = adminIndex(deadline: deadline)
        if let written = index?.spelling(of: request) { spellings.append(written) }
        for rule in [casing.preferred] + SpellingRule.probeOrder {
            let spelling = rule.spelling(of: request)
            if !spellings.contains(spelling) { spellings.append(spelling) }
        }
        return (spellings, readIndex)
    }

    /// `name`, `name_`, `file.ptr` (the last two for the plain variant only), each in every spelling; the file in
    /// the first spelling first.
    func probes(for request: SymbolRequest, spellings: [StoreSpelling], layout: StoreLayout) -> [Probe] {
        let kinds: [ProbeKind] = request.variant == .plain ? [.file, .compressed, .pointer] : [.file]
        return kinds.flatMap { kind in
            spellings.map { spelling in
                Probe(kind: kind, url: url(of: spelling, variant: request.variant, form: kind, layout: layout),
                      spelling: spelling)
            }
        }
    }

    /// The URL of a file of this store, its path components percent-encoded.
    private func url(
        of spelling: StoreSpelling, variant: SymbolRequest.Variant, form: ProbeKind, layout: StoreLayout
    ) -> String {
        let components = StorePaths(layout: layout).file(name: spelling.name, key: spelling.key, variant: variant, form: form)
        return root + "/" + components.map(Self.percentEncoded).joined(separator: "/")
    }

    static let caseCheckTimeout = Duration.seconds(2)
    /// A key no file has (PE keys are hexadecimal, PDB keys 33 hex digits or more).
    static let absentKey = "SymbolFS-case-check"

    /// What a hit tells of the server: its spelling rule is asked first next time, and the first hit of a server
    /// whose handling of case is unknown is asked once more in another case.
    private func learn(from hit: StoreHit, request: SymbolRequest, layout: StoreLayout, deadline: Duration) {
        guard options.caseInsensitive else { return }
        if let rule = SpellingRule.rule(spelling: hit.spelling, of: request, among: SpellingRule.probeOrder) {
            casing.hit(by: rule)
        }
        let name = hit.spelling.name
        guard case .remote(let file) = hit.form, !file.prefix.isEmpty, casing.sensitivity == .unknown else { return }
        let kind: ProbeKind
        if file.url.hasSuffix("/" + Self.percentEncoded(name)) {
            kind = .file
        } else if file.url.hasSuffix("/" + Self.percentEncoded(StoreComponent.compressedName(name))) {
            kind = .compressed
        } else {
            return  // found through a file.ptr elsewhere
        }
        let other = StoreSpelling(name: name.uppercased() != name ? name.uppercased() : name.lowercased(), key: hit.spelling.key)
        guard other.name != name, casing.beginCheck() else { return }
        // Beside it, a file no store holds: a server that answers that too answers anything (a catch-all page),
        // and its misses are told by content, in every spelling. Both at once: one round trip more for this hit,
        // once per server, and a server slow to answer is not waited for long.
        let urls = [other.key, Self.absentKey].map { key in
            url(of: StoreSpelling(name: other.name, key: key), variant: request.variant, form: kind, layout: layout)
        }
        let sinks = urls.map { _ in ProbeSink(limit: file.prefix.count) }
        let checkDeadline = min(deadline, MonotonicTime.now() + Self.caseCheckTimeout)
        let answers = client.fetchAll(zip(urls, sinks).map { url, sink in
            (request: HTTPRequest(url: url, range: 0..<UInt64(file.prefix.count), deadline: checkDeadline),
             sink: sink as any HTTPBodySink)
        })
        func status(_ index: Int) -> Int? { try? answers[index].get().status }
        let absent: Set<Int> = [403, 404, 410]
        switch (status(0), status(1)) {
        case let (found?, missing?) where (200..<300).contains(found) && absent.contains(missing):
            casing.endCheck(sinks[0].bytes == file.prefix ? .insensitive : .sensitive)
        case let (found?, _?) where absent.contains(found) || (200..<300).contains(found):
            casing.endCheck(.sensitive)
        default:
            casing.endCheck(.unknown)
        }
        logger.debug("\(root): \(casing.sensitivity == .insensitive ? "finds names in any case" : "case-sensitive")")
    }

    /// Runs `probes` at the same time (one thread, the caller's, waiting for all) and returns the first hit in
    /// probe order, or nil when all miss; a failure before the first hit is thrown.
    private func firstHit(
        among probes: [Probe], request: SymbolRequest, deadline: Duration
    ) throws(HTTPError) -> StoreHit? {
        let sinks = probes.map { ProbeSink(limit: $0.kind == .pointer ? FilePointer.maximumSize : settings.probeBytes) }
        let requests = zip(probes, sinks).map { probe, sink in
            let range: Range<UInt64>? = probe.kind == .pointer ? nil : 0..<UInt64(settings.probeBytes)
            return (request: HTTPRequest(url: probe.url, range: range, deadline: deadline), sink: sink as any HTTPBodySink)
        }
        for (index, answer) in client.fetchAll(requests).enumerated() {
            if let hit = try judge(
                probes[index], head: try answer.get(), bytes: sinks[index].bytes, request: request, deadline: deadline) {
                return hit
            }
        }
        return nil
    }

    /// One probe's answer: a hit, nil for a miss, or a failure. A compressed hit may take one more request or
    /// two for its size.
    private func judge(
        _ probe: Probe, head: HTTPResponseHead, bytes: [UInt8], request: SymbolRequest, deadline: Duration
    ) throws(HTTPError) -> StoreHit? {
        switch head.status {
        case 404, 410, 403, 416:
            return nil
        case 200..<300:
            break
        default:
            throw HTTPError(kind: .status(head.status), url: probe.url, message: "unexpected answer")
        }
        if bytes.isEmpty || SymbolContent.isHTML(bytes, contentType: head.contentType) {
            logger.info("\(HTTPURL.withoutQuery(probe.url)): \(bytes.isEmpty ? "empty" : "HTML") answer; a miss")
            return nil
        }
        if probe.kind == .pointer {
            return try? FilePointerFollower(options: options).follow(
                FilePointer(text: String(decoding: bytes, as: UTF8.self)), at: probe.url, spelling: probe.spelling)
        }
        guard let total = head.totalSize, total > 0 else {
            logger.warning("\(HTTPURL.withoutQuery(probe.url)): no size in the answer; a miss")
            return nil
        }
        var isCompressed = CompressedArchive.isArchive(bytes)
        if probe.kind == .compressed && !isCompressed {
            logger.info("\(HTTPURL.withoutQuery(probe.url)): neither a CAB nor a ZIP file; a miss")
            return nil
        }
        var size = total
        if isCompressed {
            let archiveSize = bytes.starts(with: Cabinet.magic)
                ? try cabinetSize(bytes, url: probe.url, deadline: deadline)
                : try zipSize(bytes, url: probe.url, total: total, deadline: deadline)
            if let archiveSize {
                size = archiveSize
            } else if probe.kind == .compressed {
                logger.info("\(HTTPURL.withoutQuery(probe.url)): a miss")
                return nil
            } else {
                // Under its own name, a file that only starts like an archive is the file (see LocalSymbolStore.hit).
                isCompressed = false
            }
        }
        if !isCompressed {
            if let magics = SymbolContent.expectedMagics(name: probe.spelling.name, variant: request.variant),
               !magics.contains(where: { bytes.starts(with: $0) }) {
                logger.info("\(HTTPURL.withoutQuery(probe.url)): content is not a \(probe.spelling.name) file; a miss")
                return nil
            }
        }
        let remote = RemoteFile(
            url: probe.url, compressed: isCompressed, transferSize: total,
            acceptsRanges: head.status == 206, prefix: Array(bytes.prefix(Int(min(total, UInt64(bytes.count))))))
        return StoreHit(
            form: .remote(remote), size: size, modificationTime: head.lastModified ?? Int64(time(nil)),
            spelling: probe.spelling)
    }

    /// The decompressed size of a one-file cabinet from its header; nil (logged) when it is not one.
    private func cabinetSize(_ prefix: [UInt8], url: String, deadline: Duration) throws(HTTPError) -> UInt64? {
        var bytes = prefix
        for _ in 0..<2 {
            switch CabinetHeader.uncompressedSize(bytes) {
            case .size(let size):
                return size
            case .invalid(let reason):
                logger.info("\(HTTPURL.withoutQuery(url)): unusable CAB (\(reason))")
                return nil
            case .needMore(let end):
                guard end > bytes.count, end <= 1 << 20 else { break }
                let sink = ProbeSink(limit: end)
                let head = try client.fetch(HTTPRequest(url: url, range: 0..<UInt64(end), deadline: deadline), sink: sink)
                guard head.isSuccess, sink.bytes.count > bytes.count else { break }
                bytes = sink.bytes
            }
        }
        logger.info("\(HTTPURL.withoutQuery(url)): CAB header cut short")
        return nil
    }

    /// The decompressed size of a one-file ZIP: from its local header when that holds it, else from the central
    /// directory at the end of the file (one more range request); nil (logged) when it is not usable.
    private func zipSize(
        _ prefix: [UInt8], url: String, total: UInt64, deadline: Duration
    ) throws(HTTPError) -> UInt64? {
        let shown = HTTPURL.withoutQuery(url)
        switch ZipLayout.uncompressedSize(localHeader: prefix) {
        case .found(let size?):
            return size
        case .invalid(let reason):
            logger.info("\(shown): unusable ZIP (\(reason))")
            return nil
        case .found(nil), .needBytes:
            break
        }
        var start = total - min(total, UInt64(ZipLayout.tailSize))
        reading: for _ in 0..<2 {
            let sink = ProbeSink(limit: Int(total - start))
            let head = try client.fetch(HTTPRequest(url: url, range: start..<total, deadline: deadline), sink: sink)
            guard head.status == 206, sink.bytes.count == Int(total - start) else { break reading }
            switch ZipLayout.member(tail: sink.bytes, tailOffset: start, fileSize: total) {
            case .found(let member):
                return member.uncompressedSize
            case .invalid(let reason):
                logger.info("\(shown): unusable ZIP (\(reason))")
                return nil
            case .needBytes(let offset):
                guard offset < start, total - offset <= 1 << 20 else { break reading }
                start = offset
            }
        }
        logger.info("\(shown): ZIP directory out of reach")
        return nil
    }

    /// A path component percent-encoded: everything but RFC 3986 unreserved characters (SSQP: `/` is not
    /// escaped, everything else is; components never hold `/`).
    static func percentEncoded(_ component: String) -> String {
        var encoded = ""
        for byte in component.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF".utf8)
                encoded += "%"
                encoded.unicodeScalars.append(Unicode.Scalar(digits[Int(byte >> 4)]))
                encoded.unicodeScalars.append(Unicode.Scalar(digits[Int(byte & 15)]))
            }
        }
        return encoded
    }
}
