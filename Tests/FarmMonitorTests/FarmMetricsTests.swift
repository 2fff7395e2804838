import FarmCoordinator
import Foundation
import Testing
@testable import FarmMonitor

struct FarmMetricsTests {
    private func text(_ fixture: MonitorFixture) throws -> String {
        let counts = try fixture.store.stateCounts()
        return String(decoding: fixture.metrics.exposition(counts: counts, storeBytes: 4096, residentBytes: 1 << 20,
                                                           now: fixture.now + 5), as: UTF8.self)
    }

    @Test func exposesWorkersClipsJobsAndProcess() throws {
        let fixture = try MonitorFixture()
        try fixture.submit(clips: 3)
        try fixture.ready("w1")
        try fixture.ready("w2")
        fixture.publish()
        let text = try text(fixture)
        #expect(text.contains(#"farm_workers{state="rendering",device="software"} 2"#))
        #expect(text.contains(#"farm_workers{state="idle",device="nvidia"} 0"#))
        #expect(text.contains(#"farm_worker_fps{worker="w1",host="node-a"} 12.5"#))
        #expect(text.contains(#"farm_worker_clip_frames_done{worker="w2",host="node-a"} 3"#))
        #expect(text.contains(#"farm_worker_heartbeat_age_seconds{worker="w1",host="node-a"} 5"#))
        #expect(text.contains(#"farm_clips{state="dispatched"} 2"#))
        #expect(text.contains(#"farm_clips{state="queued"} 1"#))
        #expect(text.contains(#"farm_jobs{state="running"} 1"#))
        #expect(text.contains("farm_queue_depth 1"))
        #expect(text.contains("farm_coordinator_resident_memory_bytes 1048576"))
        #expect(text.contains("farm_state_database_bytes 4096"))
        #expect(text.contains("# TYPE farm_workers gauge"))
        #expect(text.contains("# HELP farm_clips Clips in the state database by state."))
    }

    @Test func countsEventsAndHistograms() throws {
        let fixture = try MonitorFixture()
        fixture.metrics.record(.clipRetried)
        fixture.metrics.record(.clipRequeued)
        fixture.metrics.record(.clipRequeued)
        fixture.metrics.record(.workerLost)
        fixture.metrics.record(.clipFiled(worker: "w1", host: "node-a", frames: 100, renderSeconds: 3,
                                          submitToFiledSeconds: 45))
        let text = try text(fixture)
        #expect(text.contains("farm_clip_retries_total 1"))
        #expect(text.contains("farm_clip_requeues_total 2"))
        #expect(text.contains("farm_workers_lost_total 1"))
        #expect(text.contains(#"farm_worker_frames_rendered_total{worker="w1",host="node-a"} 100"#))
        #expect(text.contains(#"farm_clip_render_seconds_bucket{le="2.0"} 0"#))
        #expect(text.contains(#"farm_clip_render_seconds_bucket{le="5.0"} 1"#))
        #expect(text.contains("farm_clip_render_seconds_sum 3.0"))
        #expect(text.contains(#"farm_clip_submit_to_filed_seconds_bucket{le="60.0"} 1"#))
        #expect(text.contains("farm_clip_submit_to_filed_seconds_count 1"))
    }

    /// A worker that is gone from the snapshot loses its per-worker series; farm-wide ones stay.
    @Test func dropsSeriesOfDepartedWorkers() throws {
        let fixture = try MonitorFixture()
        try fixture.ready("w1")
        try fixture.ready("w2")
        fixture.publish()
        #expect(try text(fixture).contains(#"worker="w2""#))
        _ = try fixture.scheduler.leave(worker: "w2", now: fixture.now)
        fixture.metrics.publish(CoordinatorSnapshot(takenAt: fixture.now,
                                                    workers: fixture.metrics.snapshot!.workers.filter { $0.id == "w1" },
                                                    queueDepth: 0, heartbeatInterval: 1, livenessTimeout: 3))
        let text = try text(fixture)
        #expect(!text.contains(#"worker="w2""#))
        #expect(text.contains(#"farm_worker_fps{worker="w1",host="node-a"}"#))
        #expect(text.contains(#"farm_workers{state="idle",device="software"} 1"#))
    }
}
