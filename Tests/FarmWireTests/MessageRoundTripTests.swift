import FarmCore
@testable import FarmWire
import Foundation
import Testing

@Suite struct MessageRoundTripTests {
    @Test(arguments: [
        WorkerMessage.ready(Fixtures.ready),
        .heartbeat(Fixtures.heartbeat),
        .heartbeat(WorkerHeartbeat(state: .idle, rssBytes: 1)),
        .result(Fixtures.result, mp4: Fixtures.mp4),
        .failed(Fixtures.failure),
        .disconnect(Disconnect(reason: "SIGTERM: drained")),
        .error(ErrorReply(code: .badRequest, message: "TASK: width must be 1...16384", command: "TASK")),
    ])
    func workerMessages(_ message: WorkerMessage) throws {
        #expect(try WorkerMessage.parse(message.frames) == message)
        #expect(message.frames[0] == Data("FARM01".utf8))
        #expect(message.frames[1] == Data(message.command.rawValue.utf8))
    }

    @Test(arguments: [
        CoordinatorMessage.task(Fixtures.task, rollout: RolloutSlice(Fixtures.rollout)),
        .heartbeat(CoordinatorHeartbeat()),
        .cancel(CancelTask(jobId: "job-1", clipId: 3, attempt: 1)),
        .disconnect(Disconnect(reason: "coordinator shutting down")),
        .error(ErrorReply(code: .notRegistered, message: "send READY first")),
    ])
    func coordinatorMessages(_ message: CoordinatorMessage) throws {
        #expect(try CoordinatorMessage.parse(message.frames) == message)
    }

    @Test(arguments: [
        ClientRequest.submit(Fixtures.submit, rollout: Data("FARMRLT1...".utf8)),
        .submit({ var job = Fixtures.submit; job.uploadId = "up-1"; return job }(), rollout: nil),
        .uploadBegin(UploadBegin(totalBytes: 1 << 30)),
        .uploadChunk(UploadChunk(uploadId: "up-1", offset: 8 << 20), bytes: Data(repeating: 7, count: 100)),
        .status(StatusQuery(jobId: "job-1")),
        .status(StatusQuery()),
        .workers(WorkersQuery()),
        .cancelJob(CancelJob(jobId: "job-1")),
        .retryJob(RetryJob(jobId: "job-1")),
    ])
    func clientRequests(_ request: ClientRequest) throws {
        #expect(try ClientRequest.parse(request.frames) == request)
    }

    @Test(arguments: [
        ClientReply.ok(OkReply(job: Fixtures.job)),
        .ok(OkReply(jobs: [Fixtures.job, Fixtures.job])),
        .ok(OkReply(workers: [Fixtures.worker])),
        .ok(OkReply(upload: UploadState(uploadId: "up-1", totalBytes: 100, receivedBytes: 50))),
        .ok(OkReply()),
        .error(ErrorReply(code: .invalidJob, message: "Video recording (--video) requires a supported backend")),
    ])
    func clientReplies(_ reply: ClientReply) throws {
        #expect(try ClientReply.parse(reply.frames) == reply)
    }

    @Test func bodiesUseSnakeCaseKeys() throws {
        let json = String(decoding: WorkerMessage.heartbeat(Fixtures.heartbeat).frames[2], as: UTF8.self)
        #expect(json.contains("\"frames_done\":40"))
        #expect(json.contains("\"rss_bytes\":123456789"))
        #expect(json.contains("\"job_id\":\"job-1\""))
        let task = String(decoding: CoordinatorMessage.task(Fixtures.task, rollout: RolloutSlice(Fixtures.rollout)).frames[2], as: UTF8.self)
        #expect(task.contains("\"follows_camera_track\":true"))
        #expect(task.contains("\"fps\":{\"denominator\":1,\"numerator\":60}"))
        #expect(task.contains("\"eye\":[8,0,5]"))
    }

    @Test func taskCarriesTheRolloutSliceAsBinaryFrames() throws {
        let frames = CoordinatorMessage.task(Fixtures.task, rollout: RolloutSlice(Fixtures.rollout)).frames
        // header, command, JSON, rollout header, body_q, mesh vertices, mesh indices.
        #expect(frames.count == 7)
        #expect(frames[4].count == 2 * 2 * 7 * 4)
        #expect(frames[5].count == 9 * 4)
        #expect(frames[6].count == 3 * 4)
        #expect(try RolloutHeader.decode(frames[3]).firstStep == 10)
    }

    @Test func sliceCutsTheStepsOutOfALargerRollout() throws {
        let slice = try RolloutSlice(source: Fixtures.rollout, steps: 11..<12)
        #expect(slice.rollout.header.firstStep == 11)
        #expect(slice.rollout.header.steps == 1)
        #expect(slice.rollout.header.cameraTrack == [CameraView(eye: Vec3(8, 1, 5), lookat: Vec3(0, 0, 0))])
        #expect(slice.rollout.meshData.count == 1)
    }

    @Test func heartbeatRecordIsOneJSONLine() throws {
        let record = HeartbeatRecord(timestamp: 1_700_000_000.25, ready: Fixtures.ready, beat: Fixtures.heartbeat)
        let line = record.jsonLine()
        #expect(!line.contains("\n"))
        #expect(line.contains("\"worker\":\"node7-4242-a1b2c3\""))
        #expect(line.contains("\"device\":\"egl1 nvidia cuda:0\""))
        #expect(try HeartbeatRecord.parse(line: line) == record)
    }

    @Test func routedMessagesKeepTheDelimiterTheyCameWith() throws {
        let payload = ClientRequest.workers(WorkersQuery()).frames
        let viaDealer = try RoutedMessage(routerFrames: [Data("peer".utf8)] + payload)
        #expect(!viaDealer.delimited && viaDealer.payload == payload)
        let viaReq = try RoutedMessage(routerFrames: [Data("peer".utf8), Data()] + payload)
        #expect(viaReq.delimited && viaReq.payload == payload)
        #expect(viaReq.reply([Data("x".utf8)]) == [Data("peer".utf8), Data(), Data("x".utf8)])
    }
}
