import FarmCore
import FarmWire
import Foundation
import Testing
@testable import FarmCoordinator
#if canImport(Glibc)
import Glibc
#endif

/// FETCH_CLIP against a real coordinator on loopback, with a hand-driven worker.
@Suite(.serialized) struct ClipFetchTests {
    static func singleClip(run: String, file: String, firstStep: Int = 0, steps: Int = 12) throws -> ClientRequest {
        let header = RolloutHeader(stepDT: 1.0 / 30, firstStep: firstStep, steps: steps, numBodies: 1, numEnvs: 1,
                                   envSpacing: 4,
                                   shapes: [ShapeSpec(geometry: .box(halfExtents: Vec3(0.5, 0.5, 0.5)), body: 0)])
        let pose: [Float] = [0, 0, 1, 0, 0, 0, 1]
        let rollout = try RolloutWriter.encode(header: header, bodyQ: Array((0..<steps).map { _ in pose }.joined()))
        return .submit(SubmitJob(workflow: "renderfarm", task: "Ant-v5", run: run, videoLength: steps,
                                 videoInterval: steps, backendInputs: BackendInputs(presets: ["newton_mjwarp"]),
                                 clipFile: file),
                       rollout: rollout)
    }

    @Test func aDoneClipIsFetchedInChunksByteForByte() throws {
        let farm = try LiveFarm()
        let worker = try FakeWorker("w1", farm: farm)
        let client = try farm.client()
        guard case .ok(let submitted) = try farm.request(client, try Self.singleClip(run: "fetch", file: "rl-video-step-40.mp4",
                                                                                    firstStep: 40)),
              let job = submitted.job else { Issue.record("submit refused"); return }
        #expect(job.clipsTotal == 1)
        let task = try worker.task()
        #expect(task.clipFile == "rl-video-step-40.mp4")
        #expect(task.steps == Array(40..<52))

        let clipId = try #require(job.clips?.first?.id)
        guard case .error(let early) = try farm.request(client, .fetchClip(FetchClip(jobId: job.id, clipId: clipId))) else {
            Issue.record("a clip in flight was served"); return
        }
        #expect(early.code == .notReady)
        #expect(early.message.contains("dispatched"))

        // A real MP4: the coordinator probes every RESULT before filing it.
        let mp4 = try TinyClips.clip(for: task)
        try worker.finish(task, bytes: mp4)
        try worker.barrier()

        var fetched = Data()
        var replies = 0
        while true {
            guard case .ok(let reply) = try farm.request(client, .fetchClip(FetchClip(jobId: job.id, clipId: clipId,
                                                                                     offset: fetched.count, maxBytes: 300))),
                  let chunk = reply.clipChunk, let bytes = reply.clipBytes else { Issue.record("fetch refused"); return }
            #expect(chunk.file == "rl-video-step-40.mp4")
            #expect(chunk.totalBytes == mp4.count)
            #expect(chunk.offset == fetched.count)
            fetched.append(bytes)
            replies += 1
            if fetched.count >= chunk.totalBytes { break }
        }
        #expect(fetched == mp4)
        #expect(replies == (mp4.count + 299) / 300)
    }

    @Test func unknownJobsClipsAndOffsetsAreRefusedAndServingGoesOn() throws {
        let farm = try LiveFarm()
        let worker = try FakeWorker("w1", farm: farm)
        let client = try farm.client()
        guard case .ok(let submitted) = try farm.request(client, try Self.singleClip(run: "errs", file: "a.mp4")),
              let job = submitted.job, let clipId = job.clips?.first?.id else { Issue.record("submit refused"); return }
        let task = try worker.task()
        let mp4 = try TinyClips.clip(for: task)
        try worker.finish(task, bytes: mp4)
        try worker.barrier()

        let cases: [(FetchClip, ErrorCode, String)] = [
            (FetchClip(jobId: "999", clipId: clipId), .notFound, "no job \"999\""),
            (FetchClip(jobId: "not-a-number", clipId: clipId), .notFound, "job ids are numbers"),
            (FetchClip(jobId: job.id, clipId: clipId + 100), .notFound, "has no clip \(clipId + 100)"),
            (FetchClip(jobId: job.id, clipId: clipId, offset: mp4.count + 1), .badRequest, "past the file's end"),
        ]
        for (fetch, code, text) in cases {
            guard case .error(let error) = try farm.request(client, .fetchClip(fetch)) else {
                Issue.record("\(fetch) was served"); continue
            }
            #expect(error.code == code)
            #expect(error.message.contains(text), "\(error.message)")
            #expect(error.command == "FETCH_CLIP")
        }
        guard case .ok(let end) = try farm.request(client, .fetchClip(FetchClip(jobId: job.id, clipId: clipId, offset: mp4.count))) else {
            Issue.record("fetch at the end refused"); return
        }
        #expect(end.clipChunk?.bytes == 0)
        #expect(end.clipBytes == Data())

        let path = try #require(try farm.request(client, .status(StatusQuery(jobId: job.id))).okJob?.clips?.first?.path)
        try FileManager.default.removeItem(atPath: path)
        guard case .error(let gone) = try farm.request(client, .fetchClip(FetchClip(jobId: job.id, clipId: clipId))) else {
            Issue.record("a deleted clip was served"); return
        }
        #expect(gone.code == .notFound)
        #expect(gone.message.contains("gone"))
    }

    /// Issue 19, finding 3: a filed clip replaced by a symlink (to /etc/passwd, to the state
    /// database), a FIFO, or reached through a symlinked directory is refused, and a FIFO cannot
    /// block the coordinator's loop.
    @Test func linksFifosAndLinkedFoldersAreRefusedWithoutBlocking() throws {
        let farm = try LiveFarm()
        let worker = try FakeWorker("w1", farm: farm)
        let client = try farm.client()
        guard case .ok(let submitted) = try farm.request(client, try Self.singleClip(run: "hostile", file: "a.mp4")),
              let job = submitted.job, let clipId = job.clips?.first?.id else { Issue.record("submit refused"); return }
        try worker.finish(try worker.task())
        try worker.barrier()
        let path = try #require(try farm.request(client, .status(StatusQuery(jobId: job.id))).okJob?.clips?.first?.path)
        let folder = (path as NSString).deletingLastPathComponent
        let manager = FileManager.default
        let replacements: [(String, () throws -> Void)] = [
            ("a symlink to /etc/passwd", { try manager.createSymbolicLink(atPath: path, withDestinationPath: "/etc/passwd") }),
            ("a symlink to the state database", {
                try manager.createSymbolicLink(atPath: path, withDestinationPath: farm.directory.appending("state/farm.sqlite"))
            }),
            ("a FIFO", { #expect(mkfifo(path, 0o644) == 0) }),
            ("a symlinked video folder", {
                let elsewhere = farm.directory.appending("elsewhere")
                try manager.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
                try TinyClips.clip().write(to: URL(fileURLWithPath: elsewhere + "/a.mp4"))
                try manager.removeItem(atPath: folder)
                try manager.createSymbolicLink(atPath: folder, withDestinationPath: elsewhere)
            }),
        ]
        for (name, replace) in replacements {
            if manager.fileExists(atPath: path) || (try? manager.destinationOfSymbolicLink(atPath: path)) != nil {
                try manager.removeItem(atPath: path)
            }
            try replace()
            let started = ContinuousClock.now
            guard case .error(let refused) = try farm.request(client, .fetchClip(FetchClip(jobId: job.id, clipId: clipId))) else {
                Issue.record("\(name) was served"); continue
            }
            #expect(refused.code == .forbidden, "\(name): \(refused.message)")
            #expect(refused.message.contains("symlink"), "\(name): \(refused.message)")
            #expect(ContinuousClock.now - started < .seconds(2), "\(name) held the loop for \(ContinuousClock.now - started)")
            guard case .ok = try farm.request(client, .status(StatusQuery(jobId: job.id))) else {
                Issue.record("status after \(name) failed"); continue
            }
        }
    }
}

private extension ClientReply {
    var okJob: JobRecord? {
        if case .ok(let body) = self { return body.job }
        return nil
    }
}
