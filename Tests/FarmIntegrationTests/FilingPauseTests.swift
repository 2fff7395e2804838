import FarmHarness
import FarmTestSupport
import FarmWire
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A full logs root is the coordinator's problem: the rendered clip is held in its state
/// directory, the worker is not blamed, `farmctl status` says filing is paused and what to do, and
/// the job completes once space returns. Needs root (it mounts a 2 MiB tmpfs as the logs root).
@Suite(.serialized)
struct FilingPauseTests {
    static let canMountTmpfs: Bool = {
        guard geteuid() == 0 else { return false }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("farm-tmpfs-probe-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: probe, withIntermediateDirectories: true)
        defer { rmdir(probe) }
        guard mountTmpfs(at: probe, size: "64k") == nil else { return false }
        unmount(probe)
        return true
    }()

    /// Mounts a tmpfs of `size` on `path`; nil when done, else mount's complaint.
    static func mountTmpfs(at path: String, size: String) -> String? {
        guard let result = try? ProcessOutput.run(URL(fileURLWithPath: "/bin/mount"),
                                                  ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", path]) else {
            return "cannot run /bin/mount"
        }
        return result.status == 0 ? nil : result.stderr
    }

    static func unmount(_ path: String) {
        _ = try? ProcessOutput.run(URL(fileURLWithPath: "/bin/umount"), ["-l", path])
    }

    @Test(.enabled(if: canMountTmpfs, "skipped: mounting a tmpfs needs root (CAP_SYS_ADMIN) and a mount namespace that allows it"))
    func aFullLogsRootPausesFilingWithoutBlamingTheWorkerAndResumes() throws {
        let farm = try FarmProcesses()
        try FileManager.default.createDirectory(atPath: farm.logsRoot, withIntermediateDirectories: true)
        if let failure = Self.mountTmpfs(at: farm.logsRoot, size: "2m") {
            Issue.record("mount tmpfs on \(farm.logsRoot): \(failure)")
            return
        }
        defer { Self.unmount(farm.logsRoot) }
        let filler = "\(farm.logsRoot)/filler"
        Self.fill(filler)

        try farm.startCoordinator()
        try farm.startWorker()
        let job = try #require(try farm.submit(["--num_envs", "4", "--width", "160", "--height", "90", "--steps", "200",
                                                "--video_length", "20", "--video_interval", "100", "--run", "full"]).job)
        try farm.waitUntil("both clips to be held") { try farm.status(job.id).clips?.allSatisfy { $0.state == .held } ?? false }
        let paused = try farm.status(job.id)
        #expect(paused.state == .running)
        #expect(paused.filingPaused?.contains("filing paused") == true, "\(paused.filingPaused ?? "no notice")")
        #expect(paused.filingPaused?.contains("space") == true || paused.filingPaused?.contains("No space") == true,
                "\(paused.filingPaused ?? "")")
        #expect(paused.actions?.contains { $0.contains("farmctl retry \(job.id)") } == true, "\(paused.actions ?? [])")
        #expect(paused.clips?.allSatisfy { $0.attempts == 1 } == true, "a held clip uses no retry")
        let text = try farm.farmctl(["status", job.id])
        #expect(String(decoding: text.stdout, as: UTF8.self).contains("filing paused"))
        // The worker is neither blamed nor blocklisted: it is idle and takes the next job's clips.
        #expect(try farm.workersReport().allSatisfy { $0.state == .idle })
        let held = try FileManager.default.contentsOfDirectory(atPath: "\(farm.stateDirectory)/held").filter { $0.hasSuffix(".mp4") }
        #expect(held.count == 2, "\(held)")

        try FileManager.default.removeItem(atPath: filler)
        try farm.waitUntil("the job to complete once space returned", timeout: .seconds(60)) {
            try farm.status(job.id).state == .completed
        }
        let done = try farm.status(job.id)
        #expect(done.filingPaused == nil && done.actions == nil)
        #expect(farm.clipFiles(done) == ["rl-video-step-0.mp4", "rl-video-step-100.mp4"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(farm.stateDirectory)/held").isEmpty)
    }

    /// Writes zeros to `path` until the file system is full.
    static func fill(_ path: String) {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { return }
        defer { try? handle.close() }
        let block = Data(count: 16 * 1024)
        while (try? handle.write(contentsOf: block)) != nil {}
        let byte = Data(count: 1)
        while (try? handle.write(contentsOf: byte)) != nil {}
    }
}
