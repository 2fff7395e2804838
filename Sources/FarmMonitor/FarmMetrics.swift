import CoreMetrics
import FarmCoordinator
import FarmWire
import Foundation
import Prometheus
import Synchronization

/// The farm's Prometheus metrics. Events (retries, requeues, lost workers, filed clips) are recorded
/// through swift-metrics as they happen; the state gauges are set from the loop's latest snapshot and
/// the store's counts when `/metrics` is scraped, so the coordinator's loop does no metrics work
/// beyond handing over a snapshot once per heartbeat.
public final class FarmMetrics: CoordinatorMonitor {
    public let registry = PrometheusCollectorRegistry()
    private let latest = Mutex<CoordinatorSnapshot?>(nil)
    /// Scrapes set the gauges then emit; one at a time so two scrapes do not interleave.
    private let scrape = Mutex<ScrapeState>(ScrapeState())

    private let retries: CoreMetrics.Counter
    private let requeues: CoreMetrics.Counter
    private let lostWorkers: CoreMetrics.Counter
    private let renderTime: CoreMetrics.Timer
    private let submitToFiled: CoreMetrics.Timer
    private let factory: PrometheusMetricsFactory

    /// Clip render times run from seconds (software, small clips) to minutes (long 4K clips).
    static let renderBuckets: [Duration] = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600].map { .milliseconds(Int($0 * 1000)) }
    /// Submit-to-filed latency includes queueing behind other clips: seconds to hours.
    static let latencyBuckets: [Duration] = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200].map { .seconds($0) }

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = [
            MetricName.clipRenderSeconds: Self.renderBuckets,
            MetricName.clipSubmitToFiledSeconds: Self.latencyBuckets,
        ]
        self.factory = factory
        retries = CoreMetrics.Counter(label: MetricName.clipRetries, factory: factory)
        requeues = CoreMetrics.Counter(label: MetricName.clipRequeues, factory: factory)
        lostWorkers = CoreMetrics.Counter(label: MetricName.workersLost, factory: factory)
        renderTime = CoreMetrics.Timer(label: MetricName.clipRenderSeconds, factory: factory)
        submitToFiled = CoreMetrics.Timer(label: MetricName.clipSubmitToFiledSeconds, factory: factory)
    }

    /// The snapshot the loop published last, nil before its first.
    public var snapshot: CoordinatorSnapshot? { latest.withLock { $0 } }

    // MARK: CoordinatorMonitor (the loop's thread)

    public func publish(_ snapshot: CoordinatorSnapshot) {
        latest.withLock { $0 = snapshot }
    }

    public func record(_ event: CoordinatorEvent) {
        switch event {
        case .clipRetried: retries.increment()
        case .clipRequeued: requeues.increment()
        case .workerLost: lostWorkers.increment()
        case let .clipFiled(worker, host, frames, renderSeconds, submitToFiledSeconds):
            renderTime.recordNanoseconds(Int64(renderSeconds * 1e9))
            submitToFiled.recordNanoseconds(Int64(submitToFiledSeconds * 1e9))
            CoreMetrics.Counter(label: MetricName.workerFramesRendered, dimensions: [("worker", worker), ("host", host)],
                                factory: factory).increment(by: frames)
        }
    }

    // MARK: Scraping (the HTTP side's threads)

    /// The exposition text: gauges refreshed from the latest snapshot, `counts`, the process and the
    /// store's size at `now`.
    public func exposition(counts: StateCounts, storeBytes: Int, residentBytes: Int, now: Double) -> [UInt8] {
        scrape.withLock { state in
            let gauges = FarmGauges(snapshot: latest.withLock { $0 }, counts: counts, storeBytes: storeBytes,
                                    residentBytes: residentBytes, now: now)
            state.apply(gauges, to: registry)
            var buffer: [UInt8] = []
            buffer.reserveCapacity(16 << 10)
            registry.emit(into: &buffer)
            return buffer
        }
    }
}

/// The gauges one scrape sets, and the per-worker series that must go when their worker does.
private struct ScrapeState {
    private var workerSeries: [FarmGauges.Series: Prometheus.Gauge] = [:]

    mutating func apply(_ gauges: FarmGauges, to registry: PrometheusCollectorRegistry) {
        var seen: Set<FarmGauges.Series> = []
        for (series, value) in gauges.values {
            let gauge = workerSeries[series]
                ?? registry.makeGauge(descriptor: MetricNameDescriptor(metricName: series.name, unitName: "",
                                                                       helpText: MetricName.help[series.name] ?? ""),
                                      labels: series.labels)
            gauge.set(value)
            if series.isPerWorker {
                workerSeries[series] = gauge
                seen.insert(series)
            }
        }
        for (series, gauge) in workerSeries where !seen.contains(series) {
            registry.unregisterGauge(gauge)
            workerSeries[series] = nil
        }
    }
}
