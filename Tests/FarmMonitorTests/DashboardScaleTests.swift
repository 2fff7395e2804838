import FarmCoordinator
import FarmTestSupport
import FarmWire
import Foundation
import Testing
@testable import FarmMonitor

/// The dashboard's payload at 64 workers and 10,000 clips stays small: it carries one row per worker,
/// the newest jobs' counts and one page of clips, however many clips the store holds. The figures
/// are printed (for docs/MONITORING.md); only the size is asserted, speed is not timed in a test.
struct DashboardScaleTests {
    /// 10,000 clips over 25 jobs of 400 clips, 64 workers each holding one.
    private func largeFarm() throws -> MonitorFixture {
        let fixture = try MonitorFixture()
        for _ in 0..<25 { try fixture.submit(clips: 400, frames: 100) }
        for index in 0..<64 { try fixture.ready(String(format: "node-%02d-worker-%d", index / 8, index % 8)) }
        fixture.publish()
        return fixture
    }

    @Test func payloadIsBoundedAt64WorkersAnd10000Clips() throws {
        let fixture = try largeFarm()
        let counts = try fixture.store.stateCounts()
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

    /// The page in headless Chromium at that scale: what one refresh costs the browser.
    @Test func pageRendersAt64WorkersAnd10000Clips() throws {
        let fixture = try largeFarm()
        let server = MonitorServer(address: MonitorAddress(host: "127.0.0.1", port: 0), metrics: fixture.metrics,
                                   sources: fixture.sources)
        let port = try server.start().port
        defer { server.shutdown() }
        let browser = try HeadlessChromium()
        defer { browser.close() }
        try browser.open("http://127.0.0.1:\(port)/")
        var figures: [String: Any] = [:]
        let deadline = Date().addingTimeInterval(60)
        // Several refreshes, so the figures are of a warm page, as a user watching it sees.
        while Date() < deadline {
            figures = try browser.evaluate("""
                return {...document.body.dataset, workers: document.querySelectorAll('#workers tbody tr').length,
                        jobs: document.querySelectorAll('#jobs tbody tr').length,
                        clips: document.querySelectorAll('#clips .clip').length}
                """) as? [String: Any] ?? [:]
            if figures["workers"] as? Int == 64, figures["clips"] as? Int == 100, Double(figures["refreshMs"] as? String ?? "") != nil {
                break
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        #expect(figures["workers"] as? Int == 64)
        #expect(figures["jobs"] as? Int == DashboardState.jobLimit)
        #expect(figures["clips"] as? Int == DashboardState.clipPageSize)
        Thread.sleep(forTimeInterval: 2.5)
        let warm = try browser.evaluate("return {...document.body.dataset}") as? [String: Any] ?? [:]
        print("dashboard in Chromium at 64 workers / 10,000 clips: payload \(warm["payloadBytes"] ?? "?") bytes, "
            + "refresh \(warm["refreshMs"] ?? "?") ms (fetch + parse + draw), draw \(warm["drawMs"] ?? "?") ms")
        let screenshot = HeadlessChromium.outputDirectory(package: GrafanaDashboardTests.package) + "/dashboard-64-workers.png"
        try browser.screenshot(to: screenshot)
    }
}
