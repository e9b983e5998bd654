import CoreMetrics
import Prometheus

/// The server's counters, through swift-metrics into a Prometheus registry of its own (served at `/metrics`),
/// so several servers in one process (tests) never share one.
package final class ServerMetrics: Sendable {
    /// How a symbol request was answered: from a local store or cache, by fetching from a server, or not at all.
    package enum Source: String, Sendable {
        case local
        case fetch
        case miss
        case none
    }

    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let bytesSent: CoreMetrics.Counter
    private let inFlight: CoreMetrics.Meter
    private let duration: CoreMetrics.Timer

    package init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500),
            .seconds(2), .seconds(10), .seconds(60),
        ]
        self.factory = factory
        bytesSent = CoreMetrics.Counter(label: "symfs_http_sent_bytes_total", factory: factory)
        inFlight = CoreMetrics.Meter(label: "symfs_http_responses_in_flight", factory: factory)
        duration = CoreMetrics.Timer(label: "symfs_http_request_duration_seconds", factory: factory)
    }

    func started() {
        inFlight.increment()
    }

    /// One request answered: its status, where the file came from, the bytes of its body and how long it took.
    func finished(status: Int, source: Source, bytes: UInt64, nanoseconds: Int64) {
        inFlight.decrement()
        CoreMetrics.Counter(label: "symfs_http_requests_total", dimensions: [("status", String(status))], factory: factory).increment()
        if source != .none {
            CoreMetrics.Counter(label: "symfs_symbol_requests_total", dimensions: [("source", source.rawValue)], factory: factory)
                .increment()
        }
        bytesSent.increment(by: Int64(clamping: bytes))
        duration.recordNanoseconds(nanoseconds)
    }

    /// The Prometheus text exposition, with the resolver's own counters appended as gauges.
    func exposition(resolverStatistics: String) -> String {
        for line in resolverStatistics.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let value = Double(parts[1]) else { continue }
            CoreMetrics.Gauge(label: "symfs_resolver_" + parts[0].replacingDashes, factory: factory).record(value)
        }
        return registry.emitToString()
    }
}

extension Substring {
    var replacingDashes: String { String(map { $0.isLetter || $0.isNumber ? $0 : "_" }) }
}
