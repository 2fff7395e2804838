import FarmCore
import FarmWire
import Foundation
import Testing
@testable import FarmCoordinator

/// The coordinator probes each RESULT before filing: one that is not a video is a failed attempt
/// (the error says why), nothing lands, and the clip is rendered again.
@Suite(.serialized) struct ResultRefusalTests {
    @Test func textSentAsAClipIsRefusedAndTheClipRetried() throws {
        let farm = try LiveFarm()
        let worker = try FakeWorker("w1", farm: farm)
        let client = try farm.client()
        guard case .ok(let submitted) = try farm.request(client, try LiveFarm.submit(run: "probe", steps: 20, length: 10, interval: 50)),
              let job = submitted.job else { Issue.record("submit refused"); return }
        let first = try worker.task()
        let text = Data(String(repeating: "definitely not an mp4 file. ", count: 7).prefix(190).utf8)
        try worker.finish(first, bytes: text)
        let second = try worker.task()
        #expect(second.clipId == first.clipId && second.attempt == first.attempt + 1)
        let video = farm.directory.appending("logs/rl_games/Isaac-Cartpole-v0/probe/videos/train")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: video)) ?? []).isEmpty, "nothing was filed")
        guard case .ok(let status) = try farm.request(client, .status(StatusQuery(jobId: job.id))),
              let clip = status.job?.clips?.first else { Issue.record("status failed"); return }
        #expect(clip.error?.contains("RESULT refused: 190 bytes that are not a readable video") == true, "\(clip.error ?? "no error")")

        try worker.finish(second)
        try worker.barrier()
        guard case .ok(let done) = try farm.request(client, .status(StatusQuery(jobId: job.id))) else { return }
        #expect(done.job?.state == .completed)
        #expect(try FileManager.default.contentsOfDirectory(atPath: video) == ["rl-video-step-0.mp4"])
    }

    /// Issue 21: no worker can announce its way past the check. Builds before it let a READY
    /// saying `null_render` file any readable MP4; such a worker's wrong-sized clip is refused.
    @Test func aWorkerAnnouncingNullRenderIsCheckedLikeAnyOther() throws {
        let farm = try LiveFarm()
        let worker = try FakeWorker("w1", farm: farm, extraReadyFields: ["null_render": true])
        let client = try farm.client()
        guard case .ok(let submitted) = try farm.request(client, try LiveFarm.submit(run: "null", steps: 20, length: 10, interval: 50)),
              let job = submitted.job else { Issue.record("submit refused"); return }
        let first = try worker.task()
        try worker.finish(first, bytes: try TinyClips.clip())
        let second = try worker.task()
        #expect(second.clipId == first.clipId && second.attempt == first.attempt + 1)
        guard case .ok(let status) = try farm.request(client, .status(StatusQuery(jobId: job.id))),
              let clip = status.job?.clips?.first else { Issue.record("status failed"); return }
        #expect(clip.error?.contains("size is 16x16") == true, "\(clip.error ?? "no error")")
        let video = farm.directory.appending("logs/rl_games/Isaac-Cartpole-v0/null/videos/train")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: video)) ?? []).isEmpty, "nothing was filed")
    }
}
