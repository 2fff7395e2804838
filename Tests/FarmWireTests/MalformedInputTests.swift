import FarmCore
@testable import FarmWire
import Foundation
import Testing

/// Every way a message can be wrong yields a typed error, never a crash.
@Suite struct MalformedInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let frames: [Data]
        let expected: ProtocolError
        var testDescription: String { name }
    }

    static func d(_ text: String) -> Data { Data(text.utf8) }
    static let ready = WorkerMessage.ready(Fixtures.ready).frames
    static let result = WorkerMessage.result(Fixtures.result, mp4: Fixtures.mp4).frames

    static let workerCases: [Case] = [
        Case(name: "no frames", frames: [], expected: .tooFewFrames(count: 0)),
        Case(name: "truncated multipart", frames: Array(ready.prefix(2)), expected: .tooFewFrames(count: 2)),
        Case(name: "garbage header", frames: [Data([0xff, 0x00, 0x41]), d("READY"), d("{}")],
             expected: .malformedHeader(found: "??A")),
        Case(name: "header without digits", frames: [d("FARMxx"), d("READY"), d("{}")],
             expected: .malformedHeader(found: "FARMxx")),
        Case(name: "wrong version", frames: [d("FARM02")] + ready.dropFirst(),
             expected: .wrongVersion(found: 2, supported: 1)),
        Case(name: "unknown command", frames: [d("FARM01"), d("FLY"), d("{}")],
             expected: .unknownCommand("FLY", direction: .workerToCoordinator)),
        Case(name: "coordinator command from a worker", frames: [d("FARM01"), d("TASK"), d("{}")],
             expected: .unknownCommand("TASK", direction: .workerToCoordinator)),
        Case(name: "body is not JSON", frames: [d("FARM01"), d("HEARTBEAT"), d("{nope")],
             expected: .badJSON(command: "HEARTBEAT", field: "", reason: "")),
        Case(name: "missing field", frames: [d("FARM01"), d("HEARTBEAT"), d(#"{"state":"idle","frames_done":0,"frames_total":0,"fps":0}"#)],
             expected: .badJSON(command: "HEARTBEAT", field: "rss_bytes", reason: "missing")),
        Case(name: "wrong type", frames: [d("FARM01"), d("HEARTBEAT"), d(#"{"state":"idle","frames_done":"many","frames_total":0,"fps":0,"rss_bytes":1}"#)],
             expected: .badJSON(command: "HEARTBEAT", field: "frames_done", reason: "expected an integer")),
        Case(name: "unknown enum value", frames: [d("FARM01"), d("HEARTBEAT"), d(#"{"state":"dancing","frames_done":0,"frames_total":0,"fps":0,"rss_bytes":1}"#)],
             expected: .badJSON(command: "HEARTBEAT", field: "state", reason: "")),
        Case(name: "nested field", frames: [d("FARM01"), d("READY"), d(String(decoding: WireJSON.encode(Fixtures.ready), as: UTF8.self).replacingOccurrences(of: #""egl_index":1"#, with: #""egl_index":"one""#))],
             expected: .badJSON(command: "READY", field: "device.egl_index", reason: "expected an integer")),
        Case(name: "RESULT without its MP4", frames: Array(result.prefix(3)),
             expected: .missingBinaryFrames(command: "RESULT", expected: "1", found: 0)),
        Case(name: "HEARTBEAT with a stray binary frame", frames: WorkerMessage.heartbeat(Fixtures.heartbeat).frames + [d("x")],
             expected: .unexpectedBinaryFrames(command: "HEARTBEAT", expected: 0, found: 1)),
        Case(name: "RESULT whose stats disagree with the MP4", frames: Array(result.prefix(3)) + [d("short")],
             expected: .invalidValue(command: "RESULT", field: "stats.bytes", reason: "")),
        Case(name: "oversized command frame", frames: [d("FARM01"), Data(repeating: 65, count: 100), d("{}")],
             expected: .frameTooLarge(index: 1, bytes: 100, limit: 32)),
    ]

    @Test(arguments: workerCases)
    func workerParserRefuses(_ c: Case) {
        assertRefused(c) { (f) throws(ProtocolError) in try WorkerMessage.parse(f) }
    }

    static let task = CoordinatorMessage.task(Fixtures.task, rollout: RolloutSlice(Fixtures.rollout)).frames

    static func taskWith(_ edit: (inout TaskAssignment) -> Void) -> [Data] {
        var t = Fixtures.task
        edit(&t)
        return CoordinatorMessage.task(t, rollout: RolloutSlice(Fixtures.rollout)).frames
    }

    static let coordinatorCases: [Case] = [
        Case(name: "TASK without the rollout", frames: Array(task.prefix(3)),
             expected: .missingBinaryFrames(command: "TASK", expected: "", found: 0)),
        Case(name: "TASK missing a mesh frame", frames: Array(task.dropLast()),
             expected: .missingBinaryFrames(command: "TASK", expected: "", found: 3)),
        Case(name: "TASK with an extra frame", frames: task + [d("x")],
             expected: .unexpectedBinaryFrames(command: "TASK", expected: 4, found: 5)),
        Case(name: "TASK whose rollout header is garbage", frames: Array(task.prefix(3)) + [d("{]")] + task.dropFirst(4),
             expected: .invalidValue(command: "TASK", field: "binary frame 0 (rollout header)", reason: "")),
        Case(name: "TASK whose body_q is short", frames: Array(task.prefix(4)) + [Data(count: 8)] + task.dropFirst(5),
             expected: .invalidValue(command: "TASK", field: "rollout slice", reason: "")),
        Case(name: "TASK with ragged body_q", frames: Array(task.prefix(4)) + [Data(count: 7)] + task.dropFirst(5),
             expected: .invalidValue(command: "TASK", field: "binary frame 1", reason: "")),
        Case(name: "TASK step outside the slice", frames: taskWith { $0.steps = [10, 12] },
             expected: .invalidValue(command: "TASK", field: "steps[1]", reason: "")),
        Case(name: "TASK with zero width", frames: taskWith { $0.width = 0 },
             expected: .invalidValue(command: "TASK", field: "width", reason: "")),
        Case(name: "TASK with zero attempt", frames: taskWith { $0.attempt = 0 },
             expected: .invalidValue(command: "TASK", field: "attempt", reason: "")),
        Case(name: "TASK with a zero frame rate",
             frames: Array(task.prefix(2)) + [d(String(decoding: task[2], as: UTF8.self).replacingOccurrences(of: #""numerator":60"#, with: #""numerator":0"#))] + task.dropFirst(3),
             expected: .invalidValue(command: "TASK", field: "fps", reason: "")),
        Case(name: "TASK with missing backend source falls back, missing camera does not",
             frames: Array(task.prefix(2)) + [d(#"{"job_id":"j"}"#)] + task.dropFirst(3),
             expected: .badJSON(command: "TASK", field: "clip_id", reason: "missing")),
        Case(name: "worker command from the coordinator", frames: ready,
             expected: .unknownCommand("READY", direction: .coordinatorToWorker)),
    ]

    @Test(arguments: coordinatorCases)
    func coordinatorParserRefuses(_ c: Case) {
        assertRefused(c) { (f) throws(ProtocolError) in try CoordinatorMessage.parse(f) }
    }

    static let clientCases: [Case] = [
        Case(name: "SUBMIT without rollout or upload", frames: Array(ClientRequest.submit(Fixtures.submit, rollout: d("r")).frames.prefix(3)),
             expected: .missingBinaryFrames(command: "SUBMIT", expected: "", found: 0)),
        Case(name: "SUBMIT with an upload and an inline rollout",
             frames: ClientRequest.submit({ var j = Fixtures.submit; j.uploadId = "u"; return j }(), rollout: nil).frames + [d("r")],
             expected: .unexpectedBinaryFrames(command: "SUBMIT", expected: 0, found: 1)),
        Case(name: "UPLOAD_CHUNK without bytes", frames: Array(ClientRequest.uploadChunk(UploadChunk(uploadId: "u", offset: 0), bytes: d("x")).frames.prefix(3)),
             expected: .missingBinaryFrames(command: "UPLOAD_CHUNK", expected: "1", found: 0)),
        Case(name: "UPLOAD_BEGIN of nothing", frames: ClientRequest.uploadBegin(UploadBegin(totalBytes: 0)).frames,
             expected: .invalidValue(command: "UPLOAD_BEGIN", field: "total_bytes", reason: "")),
        Case(name: "oversized binary frame", frames: ClientRequest.uploadChunk(UploadChunk(uploadId: "u", offset: 0), bytes: Data(count: 2048)).frames,
             expected: .frameTooLarge(index: 3, bytes: 2048, limit: 1024)),
        Case(name: "oversized JSON", frames: [d("FARM01"), d("STATUS"), Data(repeating: 32, count: 600)],
             expected: .frameTooLarge(index: 2, bytes: 600, limit: 512)),
        Case(name: "too many frames", frames: [d("FARM01"), d("STATUS"), d("{}")] + Array(repeating: d("x"), count: 9),
             expected: .tooManyFrames(count: 9, limit: 8)),
        Case(name: "worker command on the client socket", frames: ready,
             expected: .unknownCommand("READY", direction: .clientToCoordinator)),
        Case(name: "CANCEL_JOB without a job", frames: [d("FARM01"), d("CANCEL_JOB"), d("{}")],
             expected: .badJSON(command: "CANCEL_JOB", field: "job_id", reason: "missing")),
    ]

    @Test(arguments: clientCases)
    func clientParserRefuses(_ c: Case) {
        let small = WireLimits(maxWordBytes: 32, maxJSONBytes: 512, maxBinaryFrameBytes: 1024, maxBinaryFrames: 8)
        assertRefused(c) { (f) throws(ProtocolError) in try ClientRequest.parse(f, limits: small) }
    }

    /// Each chunk is appended on the coordinator's loop: a chunk over `UploadChunk.maxBytes` is
    /// refused under the standard limits, which would take its 1 GiB frame.
    @Test func anUploadChunkOverItsLimitIsRefused() throws {
        let frames = ClientRequest.uploadChunk(UploadChunk(uploadId: "u", offset: 0),
                                               bytes: Data(count: UploadChunk.maxBytes + 1)).frames
        #expect(throws: ProtocolError.invalidValue(command: "UPLOAD_CHUNK", field: "binary frame 0",
                                                   reason: "is \(UploadChunk.maxBytes + 1) bytes; an upload chunk may "
                                                       + "carry at most \(UploadChunk.maxBytes) (clients send \(WireLimits.recommendedChunkBytes))")) {
            try ClientRequest.parse(frames)
        }
        let fits = ClientRequest.uploadChunk(UploadChunk(uploadId: "u", offset: 0), bytes: Data(count: UploadChunk.maxBytes)).frames
        #expect(throws: Never.self) { try ClientRequest.parse(fits) }
    }

    @Test func anErrorUnderAnotherVersionIsStillReadable() throws {
        let frames = [Self.d("FARM07"), Self.d("ERROR"), WireJSON.encode(ErrorReply(code: .versionMismatch, message: "speak FARM07", supportedVersions: [7]))]
        guard case .error(let reply) = try ClientReply.parse(frames) else { Issue.record("not an ERROR"); return }
        #expect(reply.supportedVersions == [7])
    }

    @Test func errorRepliesCarryTheCodeAndMessage() {
        let error = ProtocolError.wrongVersion(found: 2, supported: 1)
        let reply = ErrorReply(error, command: "READY")
        #expect(reply.code == .versionMismatch)
        #expect(reply.supportedVersions == [1])
        #expect(reply.message.contains("FARM02") && reply.message.contains("FARM01"))
    }

    @Test func randomGarbageNeverCrashes() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let frames = (0..<Int.random(in: 0...6, using: &generator)).map { _ in
                Data((0..<Int.random(in: 0...40, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) })
            }
            #expect(throws: ProtocolError.self) { try WorkerMessage.parse(frames) }
            #expect(throws: ProtocolError.self) { try CoordinatorMessage.parse(frames) }
            #expect(throws: ProtocolError.self) { try ClientRequest.parse(frames) }
        }
    }

    @Test func aMessageWithNoIdentityIsRefusedByTheRouterSplit() {
        #expect(throws: ProtocolError.missingIdentity) { try RoutedMessage(routerFrames: []) }
        #expect(throws: ProtocolError.missingIdentity) { try RoutedMessage(routerFrames: [Data(), Self.d("FARM01")]) }
    }

    /// Same case, and the same field where the expectation names one (reasons are checked for presence only).
    private func assertRefused<T>(_ c: Case, _ parse: ([Data]) throws(ProtocolError) -> T) {
        do {
            _ = try parse(c.frames)
            Issue.record("\(c.name): parsed, expected \(c.expected)")
        } catch {
            #expect(Self.same(error, c.expected), "\(c.name): got \(error)")
            #expect(!error.description.isEmpty)
        }
    }

    private static func same(_ a: ProtocolError, _ b: ProtocolError) -> Bool {
        switch (a, b) {
        case (.badJSON(let c1, let f1, _), .badJSON(let c2, let f2, _)): c1 == c2 && f1 == f2
        case (.invalidValue(let c1, let f1, _), .invalidValue(let c2, let f2, _)): c1 == c2 && f1 == f2
        case (.missingBinaryFrames(let c1, _, let n1), .missingBinaryFrames(let c2, _, let n2)): c1 == c2 && n1 == n2
        default: a == b
        }
    }
}
