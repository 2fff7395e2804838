import FarmTestSupport
import FarmWire
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The farm under fire, bounded and on loopback: workers and the coordinator are SIGKILLed at
/// random moments (so some kills land mid-clip and some mid-filing) and restarted, then stopped
/// with SIGTERM. Every planned clip must land exactly once and be valid, no temporary may be left
/// (filing `.part` files, held clips, worker scratch folders), and every process not SIGKILLed
/// must exit 0. `tools/soak` runs a longer variant through `FARM_SOAK_CLIPS` and `FARM_SOAK_KILLS`.
@Suite(.serialized)
struct SoakTests {
    static let environment = ProcessInfo.processInfo.environment
    static let clips = environment["FARM_SOAK_CLIPS"].flatMap(Int.init) ?? 24
    static let kills = environment["FARM_SOAK_KILLS"].flatMap(Int.init) ?? 8
    static let workers = 3

    @Test func killsDuringRenderingAndFilingLoseNothingAndLeaveNothing() throws {
        let farm = try FarmProcesses()
        let scratch = farm.directory.appendingPathComponent("scratch").path
        try farm.startCoordinator()
        var live = try (0..<Self.workers).map { _ in try farm.startWorker(["--scratch-dir", scratch]) }
        let interval = 40, length = 20
        let job = try #require(try farm.submit(["--num_envs", "4", "--width", "160", "--height", "90",
                                                "--steps", String(Self.clips * interval), "--video_length", String(length),
                                                "--video_interval", String(interval), "--run", "soak"]).job)
        var nonZero: [String] = []
        func stopCleanly(_ process: Process, _ what: String) {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            if process.terminationReason != .exit || process.terminationStatus != 0 {
                nonZero.append("\(what) pid \(process.processIdentifier): \(process.terminationReason == .exit ? "exit" : "signal") \(process.terminationStatus)")
            }
        }
        for kill in 0..<Self.kills {
            // The coordinator may be restarting: an unanswered status is "not yet".
            try farm.waitUntil("clips to be filed between kills") {
                ((try? farm.status(job.id))?.clipsDone ?? 0) >= (kill + 1) * Self.clips / (Self.kills + 2)
            }
            Thread.sleep(forTimeInterval: Double.random(in: 0...0.3))
            if kill % 3 == 2 {
                // The coordinator, usually mid-filing: clips land every few tenths of a second.
                farm.killHard(try #require(farm.coordinator))
                try farm.startCoordinator()
            } else {
                let victim = live.remove(at: Int.random(in: 0..<live.count))
                farm.killHard(victim)
                live.append(try farm.startWorker(["--scratch-dir", scratch]))
            }
        }
        try farm.waitUntil("the job to complete", timeout: .seconds(600)) { (try? farm.status(job.id))?.state == .completed }
        let done = try farm.status(job.id)
        // A last worker sweeps folders of workers killed after the others started, then all drain.
        live.append(try farm.startWorker(["--scratch-dir", scratch]))
        try farm.waitUntil("only live workers' scratch folders to be left") {
            ((try? FileManager.default.contentsOfDirectory(atPath: scratch)) ?? []).count == live.count
        }
        for worker in live { stopCleanly(worker, "worker") }
        stopCleanly(try #require(farm.coordinator), "coordinator")

        let expected = (0..<Self.clips).map { "rl-video-step-\($0 * interval).mp4" }.sorted()
        #expect(done.clips?.allSatisfy { $0.state == .done } == true)
        #expect(farm.clipFiles(done) == expected, "lost, duplicated or stray files")
        for file in expected {
            let probe = try ClipInspection.probe("\(done.videoDir)/\(file)")
            #expect(probe.nb_read_frames == String(length) && probe.width == 160 && probe.height == 90, "\(file)")
        }
        let scratchLeft = (try? FileManager.default.contentsOfDirectory(atPath: scratch)) ?? []
        #expect(scratchLeft.isEmpty, "scratch leftovers: \(scratchLeft)")
        let held = (try? FileManager.default.contentsOfDirectory(atPath: "\(farm.stateDirectory)/held")) ?? []
        #expect(held.isEmpty, "held leftovers: \(held)")
        #expect(nonZero.isEmpty, "\(nonZero)")
    }
}
