import FarmCore
import FarmWire
import Foundation
import Testing
@testable import FarmCoordinator

/// Issue 19, findings 7, 8 and 9: the farm deletes and replaces only files it filed, `clip_file`
/// cannot take a name another job planned, and on an authenticated farm a run folder belongs to
/// the client key that first submitted into it.
@Suite(.serialized) struct RunFilesTests {
    static func clipFile(_ file: String, run: String, keep: Int? = nil, overwrite: Bool? = nil) throws -> ClientRequest {
        guard case .submit(var job, let rollout) = try ClipFetchTests.singleClip(run: run, file: file) else {
            throw TestFailure("not a SUBMIT")
        }
        job.keepLastNClips = keep
        job.overwrite = overwrite
        return .submit(job, rollout: rollout)
    }

    static func videoFolder(_ farm: LiveFarm, run: String) -> String {
        farm.directory.appending("logs/renderfarm/Ant-v5/\(run)/videos/train")
    }

    @Test func keepLastDeletesOnlyClipsTheFarmFiled() throws {
        let farm = try LiveFarm()
        let worker = try FakeWorker("w1", farm: farm)
        let client = try farm.client()
        let folder = Self.videoFolder(farm, run: "keep")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // A user's files whose names match the prefix, in digits Int() reads and in digits it should not.
        let userFiles = ["clip_0000.mp4", "clip_\u{0660}\u{0660}\u{0660}\u{0661}.mp4", "clip_0002.mp4\n", "clip_0003.mp4"]
        for name in userFiles { try Data("user".utf8).write(to: URL(fileURLWithPath: folder + "/" + name)) }

        for file in ["clip_0004.mp4", "clip_0005.mp4"] {
            guard case .ok = try farm.request(client, try Self.clipFile(file, run: "keep", keep: 1)) else {
                Issue.record("\(file) refused"); return
            }
            try worker.finish(try worker.task())
            try worker.barrier()
        }
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: folder))
        for name in userFiles { #expect(names.contains(name), "the user's \(name.debugDescription) was deleted") }
        #expect(names.contains("clip_0005.mp4"))
        #expect(!names.contains("clip_0004.mp4"), "the farm's own older clip is superseded")
    }

    @Test func clipFileMayNotTakeAPlannedNameOrAFileTheFarmDidNotWrite() throws {
        let farm = try LiveFarm()
        let client = try farm.client()
        // An isaaclab job plans clip_0000.mp4 ... in run "shared" (no worker: it stays unfiled).
        guard case .submit(var scheduled, let rollout) = try LiveFarm.submit(run: "shared") else { return }
        scheduled.workflow = "renderfarm"
        scheduled.task = "Ant-v5"
        scheduled.schedule = "isaaclab"
        guard case .ok = try farm.request(client, .submit(scheduled, rollout: rollout)) else {
            Issue.record("the isaaclab job was refused"); return
        }
        guard case .error(let planned) = try farm.request(client, try Self.clipFile("clip_0000.mp4", run: "shared")) else {
            Issue.record("clip_file took a name another unfinished job planned"); return
        }
        #expect(planned.message.contains("already planned by another unfinished job"), "\(planned.message)")

        let folder = Self.videoFolder(farm, run: "mine")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data("the user's own".utf8).write(to: URL(fileURLWithPath: folder + "/mine.mp4"))
        guard case .error(let existing) = try farm.request(client, try Self.clipFile("mine.mp4", run: "mine")) else {
            Issue.record("clip_file replaced a file the farm did not write"); return
        }
        #expect(existing.message.contains("the farm did not write it"), "\(existing.message)")
        #expect(FileManager.default.contents(atPath: folder + "/mine.mp4") == Data("the user's own".utf8))
        guard case .ok = try farm.request(client, try Self.clipFile("mine.mp4", run: "mine", overwrite: true)) else {
            Issue.record("overwrite was refused"); return
        }
    }

    @Test func aRunFolderBelongsToTheKeyThatFirstSubmittedIntoIt() throws {
        let auth = try AuthenticatedFarm()
        let alice = try auth.client(auth.alice)
        let bob = try auth.client(auth.bob)
        let boss = try auth.client(auth.boss)
        guard case .ok(let first) = try auth.ask(alice, try Self.clipFile("clip_0000.mp4", run: "alices")),
              let job = first.job, let clipId = job.clips?.first?.id else {
            Issue.record("alice's SUBMIT refused"); return
        }
        // Bob's one-clip job with keep_last_n_clips 1 used to delete every clip of alice's run.
        guard case .error(let submit) = try auth.ask(bob, try Self.clipFile("clip_9999.mp4", run: "alices", keep: 1)) else {
            Issue.record("bob submitted into alice's run"); return
        }
        #expect(submit.code == .forbidden)
        #expect(submit.message.contains(auth.alice.publicKey.z85), "\(submit.message)")
        guard case .error(let fetch) = try auth.ask(bob, .fetchClip(FetchClip(jobId: job.id, clipId: clipId))) else {
            Issue.record("bob fetched from alice's run"); return
        }
        #expect(fetch.code == .forbidden)
        guard case .ok = try auth.ask(boss, try Self.clipFile("clip_0001.mp4", run: "alices")) else {
            Issue.record("an operator could not submit into alice's run"); return
        }
        guard case .ok = try auth.ask(alice, try Self.clipFile("clip_0002.mp4", run: "alices")) else {
            Issue.record("alice could not submit into her own run"); return
        }
        guard case .ok = try auth.ask(bob, try Self.clipFile("clip_0000.mp4", run: "bobs")) else {
            Issue.record("bob could not submit into a run of his own"); return
        }
    }
}
