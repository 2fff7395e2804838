import FarmWire
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Processes killed with SIGKILL leave temporaries; the next process of the same kind removes its
/// own kind's, and only those.
@Suite(.serialized)
struct LeftoverTests {
    @Test func aKilledWorkersScratchFolderIsRemovedByTheNextWorker() throws {
        let farm = try FarmProcesses()
        try farm.startCoordinator()
        let scratch = farm.directory.appendingPathComponent("scratch").path
        let doomed = try farm.startWorker(["--scratch-dir", scratch])
        _ = try #require(try farm.submit(["--num_envs", "64", "--width", "640", "--height", "360", "--steps", "400",
                                          "--video_length", "400", "--video_interval", "1000", "--run", "leftovers"]).job)
        try farm.waitUntil("the worker to render") { try farm.workersReport().contains { $0.state == .rendering && $0.framesDone > 0 } }
        farm.killHard(doomed)
        let left = try FileManager.default.contentsOfDirectory(atPath: scratch)
        #expect(left.count == 1 && left[0].hasPrefix("run-\(doomed.processIdentifier)-"), "\(left)")
        let partials = try FileManager.default.contentsOfDirectory(atPath: "\(scratch)/\(left[0])").filter { $0.contains(".partial-") }
        #expect(!partials.isEmpty, "the killed worker was mid-clip")
        // Not ours to touch: a file and a folder that merely look alike.
        _ = FileManager.default.createFile(atPath: "\(scratch)/run-notes.txt", contents: Data("keep".utf8))
        try FileManager.default.createDirectory(atPath: "\(scratch)/run-12-xyz", withIntermediateDirectories: true)

        let next = try farm.startWorker(["--scratch-dir", scratch])
        try farm.waitUntil("the dead worker's folder to go") {
            !((try? FileManager.default.contentsOfDirectory(atPath: scratch)) ?? []).contains(left[0])
        }
        let now = try FileManager.default.contentsOfDirectory(atPath: scratch).sorted()
        #expect(now.contains("run-notes.txt") && now.contains("run-12-xyz"))
        #expect(now.filter { $0.hasPrefix("run-\(next.processIdentifier)-") }.count == 1, "\(now)")
        kill(next.processIdentifier, SIGTERM)
        next.waitUntilExit()
        #expect(next.terminationStatus == 0)
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: scratch)).contains { $0.hasPrefix("run-\(next.processIdentifier)-") },
                "a worker that exits cleanly removes its own folder")
    }

    @Test func aRestartedCoordinatorRemovesItsPredecessorsFilingTemporaries() throws {
        let farm = try FarmProcesses()
        let first = try farm.startCoordinator()
        // No worker: the job stays unfinished, as it is when a coordinator dies mid-filing.
        let job = try #require(try farm.submit(["--num_envs", "4", "--width", "160", "--height", "90", "--steps", "200",
                                                "--video_length", "20", "--video_interval", "100", "--run", "filing"]).job)
        farm.killHard(first)
        let tag = try String(contentsOfFile: "\(farm.stateDirectory)/filing-tag", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try FileManager.default.createDirectory(atPath: job.videoDir, withIntermediateDirectories: true)
        // What SIGKILL during filing leaves (the bytes a write had reached), and a look-alike from
        // another farm's coordinator sharing the logs root.
        let stale = "\(job.videoDir)/.rl-video-step-100.mp4.\(tag).\(UUID().uuidString).part"
        let foreign = "\(job.videoDir)/.rl-video-step-100.mp4.0000000000000000.\(UUID().uuidString).part"
        for path in [stale, foreign] { _ = FileManager.default.createFile(atPath: path, contents: Data(count: 111_000)) }

        try farm.startCoordinator()
        try farm.waitUntil("the restarted coordinator to answer") { (try? farm.status(job.id)) != nil }
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.fileExists(atPath: foreign))
        try farm.startWorker()
        try farm.waitUntil("the job to complete") { try farm.status(job.id).state == .completed }
        let files = farm.clipFiles(try farm.status(job.id))
        #expect(files == [(foreign as NSString).lastPathComponent, "rl-video-step-0.mp4", "rl-video-step-100.mp4"], "\(files)")
    }
}
