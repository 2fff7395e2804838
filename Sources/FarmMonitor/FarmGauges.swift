import FarmCore
import FarmCoordinator
import FarmWire

/// The gauge values of one scrape, computed from the loop's snapshot and the store's counts. Pure:
/// every series the metrics expose for a given farm state is decided here.
struct FarmGauges {
    struct Series: Hashable {
        var name: String
        var labels: [(String, String)]

        var isPerWorker: Bool { labels.contains { $0.0 == "worker" } }

        static func == (a: Series, b: Series) -> Bool {
            a.name == b.name && a.labels.elementsEqual(b.labels) { $0 == $1 }
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(name)
            for (key, value) in labels {
                hasher.combine(key)
                hasher.combine(value)
            }
        }
    }

    /// Device kinds that always have a series, so a dashboard's query finds 0 rather than nothing.
    static let deviceKinds = ["nvidia", "software"]
    /// Worker states shown (`gone` workers said goodbye and are left out, as `farmctl workers` does).
    /// Every phase but `gone`: a worker that said goodbye is not part of the farm.
    static let workerStates = WorkerPhase.allCases.filter { $0 != .gone }

    private(set) var values: [(Series, Double)] = []

    init(snapshot: CoordinatorSnapshot?, counts: StateCounts, storeBytes: Int, residentBytes: Int, now: Double) {
        let workers = snapshot?.workers ?? []
        let kinds = Set(Self.deviceKinds + workers.map(\.device.kind)).sorted()
        for state in Self.workerStates {
            for kind in kinds {
                let count = workers.filter { $0.state == state && $0.device.kind == kind }.count
                add(MetricName.workers, [("state", state.rawValue), ("device", kind)], Double(count))
            }
        }
        for worker in workers {
            let labels = [("worker", worker.id), ("host", worker.host)]
            add(MetricName.workerFps, labels, worker.fps)
            add(MetricName.workerClipFramesDone, labels, Double(worker.framesDone))
            add(MetricName.workerHeartbeatAge, labels, max(0, now - worker.lastBeat))
        }
        for state in ClipState.allCases {
            add(MetricName.clips, [("state", state.rawValue)], Double(counts.clips[state] ?? 0))
        }
        for state in JobState.allCases {
            add(MetricName.jobs, [("state", state.rawValue)], Double(counts.jobs[state] ?? 0))
        }
        add(MetricName.queueDepth, [], Double(snapshot?.queueDepth ?? 0))
        add(MetricName.residentMemory, [], Double(residentBytes))
        add(MetricName.stateDatabase, [], Double(storeBytes))
    }

    func value(_ name: String, _ labels: [(String, String)] = []) -> Double? {
        values.first { $0.0 == Series(name: name, labels: labels) }?.1
    }

    private mutating func add(_ name: String, _ labels: [(String, String)], _ value: Double) {
        values.append((Series(name: name, labels: labels), value))
    }
}
