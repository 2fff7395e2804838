import FarmCoordinator
import FarmWire
import Foundation
import Testing
@testable import FarmMonitor

/// The dashboard's payload at 64 workers and 10,000 clips stays small: it carries one row per worker,
/// the newest jobs' counts and one page of clips, however many clips the store holds. The figures
/// are printed (for docs/MONITORING.md); only the size is asserted, speed is not timed in a test.
struct DashboardScaleTests {
    @Test func payloadIsBoundedAt64WorkersAnd10000Clips() throws {
        let fixture = try MonitorFixture()
        // 10,000 clips over 25 jobs of 400 clips, 64 workers each holding one.
        for _ in 0..<25 { try fixture.submit(clips: 400, frames: 100) }
        for index in 0..<64 { try fixture.ready(String(format: "node-%02d-worker-%d", index / 8, index % 8)) }
        fixture.publish()
        let counts = try fixture.scheduler.store.stateCounts()
        #expect(counts.clips.values.reduce(0, +) == 10_000)

        let start = ContinuousClock.now
        let state = try DashboardState(snapshot: fixture.metrics.snapshot, sources: fixture.sources, job: nil,
                                       offset: 0, now: fixture.now)
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let payload = try encoder.encode(state)
        let elapsed = ContinuousClock.now - start
        #expect(state.workers.count == 64)
        #expect(state.jobs.count == DashboardState.jobLimit)
        #expect(state.page?.clips.count == DashboardState.clipPageSize)
        #expect(state.page?.total == 400)
        #expect(payload.count < 128 << 10)
        let metrics = fixture.metrics.exposition(counts: counts, storeBytes: 0, residentBytes: 0, now: fixture.now)
        print("dashboard at 64 workers / 10,000 clips: /api/state \(payload.count) bytes built in \(elapsed); "
            + "/metrics \(metrics.count) bytes")
    }
}
