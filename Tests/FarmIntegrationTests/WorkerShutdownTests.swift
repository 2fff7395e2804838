import FarmCore
import FarmWire
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM at random moments of a real worker's life (starting, opening EGL, connecting, idle,
/// mid-clip) always ends in a clean exit 0: signals are blocked before any thread starts, taken by
/// one thread, and every thread is joined and EGL torn down on its own thread before exit. A
/// second signal abandons the clip but tears down just as cleanly (exit 3).
///
/// Each delay counts from the moment the worker has blocked the signals (its first act in `serve`,
/// read from /proc): before that the process is still being loaded, and a SIGTERM then takes the
/// kernel's default action whatever the program does (on a loaded test machine that can last a
/// second). The CI run is bounded; `tools/soak` runs the issue's 200 cycles at 0.1–8 s through
/// `FARM_SHUTDOWN_CYCLES` and `FARM_SHUTDOWN_MAX_DELAY`.
@Suite(.serialized)
struct WorkerShutdownTests {
    static let environment = ProcessInfo.processInfo.environment
    static let cycles = environment["FARM_SHUTDOWN_CYCLES"].flatMap(Int.init) ?? 40
    static let maxDelay = environment["FARM_SHUTDOWN_MAX_DELAY"].flatMap(Double.init) ?? 2.5
    /// Workers stopped at once; each renders on the CPU, so a few.
    static let lanes = 4

    @Test func sigtermAtRandomMomentsAlwaysExitsZero() throws {
        let farm = try FarmProcesses()
        try farm.startCoordinator()
        // Plenty of short clips, so a worker that has connected is usually mid-clip.
        let job = try #require(try farm.submit(["--num_envs", "4", "--width", "160", "--height", "90", "--steps", "20000",
                                                "--video_length", "40", "--video_interval", "40", "--run", "shutdown"]).job)
        let outcomes = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: Self.lanes) { lane in
            for cycle in stride(from: lane, to: Self.cycles, by: Self.lanes) {
                let delay = Double.random(in: 0.1...Self.maxDelay)
                let outcome = Self.cycle(farm, number: cycle, delay: delay)
                outcomes.withLock { $0.append(outcome) }
            }
        }
        let failures = outcomes.withLock { $0 }.filter { !$0.isEmpty }
        #expect(failures.isEmpty, "\(failures.count) of \(Self.cycles) cycles did not exit 0: \(failures.prefix(5))")
        let finished = try farm.status(job.id)
        let failed = (finished.clips ?? []).filter { $0.state == .failed }
        #expect(finished.clips != nil && failed.isEmpty,
                "drained clips failed: \(failed.prefix(3).map { "\($0.file): \($0.error ?? "")" })")
    }

    @Test func secondSignalAbandonsTheClipAndStillTearsDownCleanly() throws {
        let farm = try FarmProcesses()
        try farm.startCoordinator()
        let worker = try farm.startWorker()
        let job = try #require(try farm.submit(["--num_envs", "64", "--width", "640", "--height", "360", "--steps", "400",
                                                "--video_length", "400", "--video_interval", "1000", "--run", "abandon"]).job)
        try farm.waitUntil("the worker to render") { try farm.workersReport().contains { $0.state == .rendering && $0.framesDone > 0 } }
        kill(worker.processIdentifier, SIGTERM)
        try farm.waitUntil("the worker to report draining") { try farm.workersReport().contains { $0.state == .draining } }
        kill(worker.processIdentifier, SIGTERM)
        worker.waitUntilExit()
        #expect(worker.terminationReason == .exit && worker.terminationStatus == 3)
        // The abandoned clip went back to the queue and another worker finishes it.
        try farm.startWorker()
        try farm.waitUntil("the job to complete on a second worker") { try farm.status(job.id).state == .completed }
    }

    /// One start→SIGTERM cycle; "" when the worker exited 0, else what happened.
    private static func cycle(_ farm: FarmProcesses, number: Int, delay: Double) -> String {
        let worker: Process
        do {
            worker = try farm.startWorker()
        } catch {
            return "cycle \(number): could not start: \(error)"
        }
        let blockedBy = ContinuousClock.now + .seconds(60)
        while worker.isRunning && !blocksStopSignals(worker.processIdentifier) && ContinuousClock.now < blockedBy {
            Thread.sleep(forTimeInterval: 0.005)
        }
        Thread.sleep(forTimeInterval: delay)
        kill(worker.processIdentifier, SIGTERM)
        // A drain finishes the clip in hand (under a second here); far more is a hang.
        let deadline = ContinuousClock.now + .seconds(60)
        while worker.isRunning && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if worker.isRunning {
            farm.killHard(worker)
            return "cycle \(number) (SIGTERM after \(String(format: "%.2f", delay)) s): still running 60 s later"
        }
        if worker.terminationReason == .exit && worker.terminationStatus == 0 { return "" }
        let how = worker.terminationReason == .exit ? "exit \(worker.terminationStatus)" : "signal \(worker.terminationStatus)"
        return "cycle \(number) (SIGTERM after \(String(format: "%.2f", delay)) s): \(how)"
    }
}

/// True once the process's main thread blocks SIGTERM and SIGINT (`SigBlk` in /proc/PID/status).
func blocksStopSignals(_ pid: Int32) -> Bool {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigBlk:") }),
          let mask = UInt64(line.dropFirst("SigBlk:".count).trimmingCharacters(in: .whitespaces), radix: 16) else { return false }
    let wanted: UInt64 = 1 << (UInt64(SIGTERM) - 1) | 1 << (UInt64(SIGINT) - 1)
    return mask & wanted == wanted
}
