import SystemSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How an HTTP store remembers misses and failures.
public struct HTTPStoreSettings: Sendable {
    /// How long a 404/410 (and the other answers that mean "not here") is answered without asking the server
    /// again: SymProxy's `MissTimeout`, 300 s by default (spec §4.1). Zero disables the negative cache.
    public var missTimeout: Duration
    /// SymSrv's `[timeouts]` rule (spec §3.5): after `failureCount` failures (timeouts, resets, 5xx after the
    /// retries, …) within `failureWindow`, the server is skipped for `blackout`. A count of zero disables it.
    public var failureCount: Int
    public var failureWindow: Duration
    public var blackout: Duration
    /// How long one lookup may take at this server, every probe, retry and redirect included; past it the server
    /// counts as failed for that lookup (toward its blackout too) and the path goes on.
    public var lookupTimeout: Duration
    /// Bytes a lookup asks for to check a file's magic (and, for a CAB, its header): `Range: bytes=0-4095`.
    public var probeBytes: Int
    /// Most misses remembered at once (older ones are dropped first when full).
    public var missCapacity: Int
    /// How often a miss may read what a server's `000Admin` folder gained since it was last read (`AdminIndex`),
    /// and how long after a case check that told nothing the next is made (`ServerCasing`).
    public var adminIndexRefresh: Duration
    public var clock: any TimeSource

    public init(
        missTimeout: Duration = .seconds(300), failureCount: Int = 5, failureWindow: Duration = .seconds(600),
        blackout: Duration = .seconds(900), lookupTimeout: Duration = .seconds(10), probeBytes: Int = 4096, missCapacity: Int = 65536,
        adminIndexRefresh: Duration = .seconds(300),
        clock: any TimeSource = MonotonicTimeSource()
    ) {
        self.missTimeout = missTimeout
        self.failureCount = failureCount
        self.failureWindow = failureWindow
        self.blackout = blackout
        self.lookupTimeout = lookupTimeout
        self.probeBytes = probeBytes
        self.missCapacity = missCapacity
        self.adminIndexRefresh = adminIndexRefresh
        self.clock = clock
    }
}
