import FarmCore
import Foundation
import Testing
@testable import FarmWire

/// FarmWire against the FARM01 spec (docs/protocol/farm01.json), both ways: every field of every
/// spec object decodes and encodes under its wire name, a Swift type has no stored field the spec
/// lacks, optional and required agree, and the enums, error codes, commands, limits and worker
/// features are the spec's. A field added on one side alone fails here.
struct ProtocolSpecTests {
    static let spec = ProtocolSpec.load()

    /// The Swift type of each spec object.
    static let wireTypes: [String: WireType] = [
        "rational": WireType(FrameRate.self), "error_reply": WireType(ErrorReply.self),
        "disconnect": WireType(Disconnect.self), "device": WireType(DeviceInfo.self), "ready": WireType(Ready.self),
        "worker_heartbeat": WireType(WorkerHeartbeat.self), "clip_stats": WireType(ClipStats.self),
        "task_result": WireType(TaskResult.self), "task_failure": WireType(TaskFailure.self),
        "backend_inputs": WireType(BackendInputs.self), "task_camera": WireType(TaskCamera.self),
        "task_assignment": WireType(TaskAssignment.self), "coordinator_heartbeat": WireType(CoordinatorHeartbeat.self),
        "cancel_task": WireType(CancelTask.self), "submit_job": WireType(SubmitJob.self),
        "stream_request": WireType(StreamRequest.self), "upload_begin": WireType(UploadBegin.self),
        "upload_chunk": WireType(UploadChunk.self), "status_query": WireType(StatusQuery.self),
        "workers_query": WireType(WorkersQuery.self), "cancel_job": WireType(CancelJob.self),
        "retry_job": WireType(RetryJob.self), "fetch_clip": WireType(FetchClip.self), "ok_reply": WireType(OkReply.self),
        "upload_state": WireType(UploadState.self), "clip_chunk": WireType(ClipChunk.self),
        "job_record": WireType(JobRecord.self), "clip_record": WireType(ClipRecord.self),
        "stream_record": WireType(StreamRecord.self), "worker_record": WireType(WorkerRecord.self),
        "heartbeat_log_line": WireType(HeartbeatRecord.self),
    ]

    /// Stored properties that never travel in the JSON body.
    static let notInBody: [String: Set<String>] = ["ok_reply": ["clip_bytes"]]

    @Test func everySpecObjectHasASwiftTypeAndNoOther() {
        #expect(Set(Self.wireTypes.keys) == Set(Self.spec.objects.keys))
    }

    @Test(arguments: ProtocolSpec.load().objects.keys.sorted())
    func aFullSampleDecodesAndEncodesEveryFieldAndNoOther(object name: String) throws {
        let wireType = try #require(Self.wireTypes[name])
        let (encoded, properties) = try wireType.roundTrip(Self.spec.sampleBody(name))
        expectKeys(try JSONSerialization.jsonObject(with: encoded), object: name, path: name)
        let stored = Set(properties.map(WireJSON.snakeCase)).subtracting(Self.notInBody[name] ?? [])
        #expect(stored == Set(Self.spec.fieldNames(name)), "\(name): Swift's stored fields against the spec's")
    }

    @Test(arguments: ProtocolSpec.load().objects.keys.sorted())
    func aFieldIsOptionalInSwiftExactlyWhenTheSpecSaysSo(object name: String) throws {
        let wireType = try #require(Self.wireTypes[name])
        for field in Self.spec.objects[name]?.fields ?? [] {
            var sample = Self.spec.sample(object: name)
            sample.removeValue(forKey: field.name)
            let decodes = (try? wireType.roundTrip(JSONSerialization.data(withJSONObject: sample))) != nil
            #expect(decodes == !field.required, "\(name).\(field.name): required is \(field.required) in the spec")
        }
    }

    @Test func enumsErrorCodesFeaturesAndCommandsAreTheSpecs() {
        let spec = Self.spec
        #expect(spec.values(of: "job_state") == JobState.allCases.map(\.rawValue))
        #expect(spec.values(of: "clip_state") == ClipState.allCases.map(\.rawValue))
        #expect(spec.values(of: "heartbeat_state") == HeartbeatState.allCases.map(\.rawValue))
        #expect(spec.values(of: "worker_phase") == WorkerPhase.allCases.map(\.rawValue))
        #expect(spec.values(of: "video_backend") == VideoBackend.allCases.map(\.rawValue))
        #expect(spec.values(of: "output") == ClipOutput.Kind.allCases.map(\.rawValue))
        #expect(spec.values(of: "schedule") == ScheduleKind.allCases.map(\.rawValue))
        #expect(spec.values(of: "origin_type") == OriginType.allCases.map(\.rawValue))
        #expect(spec.values(of: "worker_features") == WorkerFeature.allCases.map(\.rawValue))
        #expect(spec.values(of: "error_codes") == ErrorCode.known.map(\.rawValue))
        #expect(Set(spec.messages.map(\.command)) == Set(Command.allCases.map(\.rawValue)))
        #expect(spec.version == ProtocolVersion.current)
    }

    @Test func limitsAreTheSpecs() {
        let limits = Dictionary(uniqueKeysWithValues: Self.spec.limits.map { ($0.name, $0.value) })
        #expect(limits == [
            "max_word_bytes": WireLimits.standard.maxWordBytes, "max_json_bytes": WireLimits.standard.maxJSONBytes,
            "max_binary_frame_bytes": WireLimits.standard.maxBinaryFrameBytes,
            "max_binary_frames": WireLimits.standard.maxBinaryFrames,
            "socket_hard_cap_bytes": WireLimits.socketHardCapBytes,
            "recommended_chunk_bytes": WireLimits.recommendedChunkBytes,
            "max_fetch_chunk_bytes": FetchClip.maxChunkBytes, "max_upload_chunk_bytes": UploadChunk.maxBytes,
            "max_idempotency_key_bytes": SubmitJob.maxIdempotencyKeyBytes, "max_local_files": SubmitJob.maxLocalFiles,
            "max_supersedes": SubmitJob.maxSupersedes,
            "max_worker_id_bytes": WorkerIdentity.maxIdBytes, "max_worker_text_bytes": WorkerIdentity.maxTextBytes,
            "status_default_limit": StatusQuery.defaultLimit, "status_max_limit": StatusQuery.maxLimit,
            "status_clips_per_page": StatusQuery.clipsPerPage,
            "status_clips_per_jobs_page": StatusQuery.clipsPerJobsPage,
        ])
    }

    /// Each message without binary frames, its body a spec sample, parses in its direction.
    @Test(arguments: ProtocolSpec.load().messages.filter { $0.binaryFrames == "none" })
    func aSampleMessageParsesInItsDirection(message: ProtocolSpec.Message) throws {
        let frames = WireMessage(command: message.command, body: Self.spec.sampleBody(message.body)).frames
        let parsed: Command
        switch (message.from, message.to) {
        case ("worker", "coordinator"): parsed = try WorkerMessage.parse(frames).command
        case ("coordinator", "worker"): parsed = try CoordinatorMessage.parse(frames).command
        case ("client", "coordinator"): parsed = try ClientRequest.parse(frames).command
        default: parsed = try ClientReply.parse(frames).command
        }
        #expect(parsed.rawValue == message.command)
    }

    @Test func submitKnowsEveryFieldTheSpecGivesItAndItsStreams() {
        let streamFields = Self.spec.fieldNames("stream_request").map { "streams." + $0 }
        #expect(SubmitJob.knownFields == Set(Self.spec.fieldNames("submit_job") + streamFields))
    }

    @Test func aSubmitRequiringAnUnknownFieldIsRefusedNamingIt() throws {
        var job = Fixtures.submit
        job.requiredFields = ["streams", "streams.origin_type", "color_grading", "streams.lens"]
        let frames = ClientRequest.submit(job, rollout: Data([1])).frames
        #expect(throws: ProtocolError.unsupportedFields(command: "SUBMIT", fields: ["color_grading", "streams.lens"])) {
            try ClientRequest.parse(frames)
        }
        #expect(ProtocolError.unsupportedFields(command: "SUBMIT", fields: []).code == .unsupportedField)
        job.requiredFields = ["streams", "streams.origin_type", "keep_last_n_clips"]
        #expect(try ClientRequest.parse(ClientRequest.submit(job, rollout: Data([1])).frames).command == .submit)
    }

    /// `json`'s keys, and those of every object inside it, are the spec's fields.
    private func expectKeys(_ json: Any, object name: String, path: String) {
        guard let body = json as? [String: Any] else {
            Issue.record("\(path): expected a JSON object")
            return
        }
        #expect(Set(body.keys) == Set(Self.spec.fieldNames(name)), "\(path): encoded keys against the spec's fields")
        for field in Self.spec.objects[name]?.fields ?? [] {
            guard let inner = ProtocolSpec.objectName(field.type), let value = body[field.name] else { continue }
            let element = field.type.hasPrefix("[") ? (value as? [Any])?.first as Any : value
            expectKeys(element, object: inner, path: "\(path).\(field.name)")
        }
    }
}

/// A spec object's Swift type: decodes a body, and returns it encoded again with the names of the
/// value's stored properties.
struct WireType: Sendable {
    let roundTrip: @Sendable (Data) throws -> (encoded: Data, properties: [String])

    init<Body: Codable & Sendable>(_ type: Body.Type) {
        roundTrip = { data in
            let value = try WireJSON.decode(Body.self, from: data, command: "spec sample")
            return (WireJSON.encode(value), Mirror(reflecting: value).children.compactMap(\.label))
        }
    }
}

/// docs/protocol/farm01.json, and sample bodies made from it: every field set, each value the
/// first of its enum where it has one.
struct ProtocolSpec: Decodable, Sendable {
    struct Field: Decodable, Sendable {
        let name: String
        let type: String
        let required: Bool
        let `enum`: String?
    }

    struct Object: Decodable, Sendable { let fields: [Field] }
    struct Value: Decodable, Sendable { let name: String }
    struct Enum: Decodable, Sendable { let values: [Value] }
    struct Code: Decodable, Sendable { let code: String }
    struct Limit: Decodable, Sendable {
        let name: String
        let value: Int
    }

    struct Message: Decodable, Sendable, CustomTestStringConvertible {
        let command: String
        let from: String
        let to: String
        let body: String
        let binaryFrames: String
        var testDescription: String { "\(command) \(from) → \(to)" }
    }

    let version: Int
    let limits: [Limit]
    let errorCodes: [Code]
    let workerFeatures: [Value]
    let enums: [String: Enum]
    let objects: [String: Object]
    let messages: [Message]

    static func load() -> ProtocolSpec {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/protocol/farm01.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(ProtocolSpec.self, from: Data(contentsOf: url))
        } catch {
            fatalError("\(url.path) does not load: \(error)")
        }
    }

    /// `@name` or `[@name]` → `name`.
    static func objectName(_ type: String) -> String? {
        guard let at = type.firstIndex(of: "@") else { return nil }
        return String(type[type.index(after: at)...].prefix { $0 != "]" })
    }

    func fieldNames(_ object: String) -> [String] { objects[object]?.fields.map(\.name) ?? [] }

    /// An enum's values, or the error codes' or worker features' names.
    func values(of name: String) -> [String] {
        switch name {
        case "error_codes": errorCodes.map(\.code)
        case "worker_features": workerFeatures.map(\.name)
        default: enums[name]?.values.map(\.name) ?? []
        }
    }

    func sample(object name: String) -> [String: Any] {
        var body: [String: Any] = [:]
        for field in objects[name]?.fields ?? [] { body[field.name] = sample(type: field.type, enum: field.enum) }
        return body
    }

    func sampleBody(_ object: String) -> Data {
        // A sample holds only JSON types, so it always serialises.
        (try? JSONSerialization.data(withJSONObject: sample(object: object), options: [.sortedKeys])) ?? Data()
    }

    private func sample(type: String, enum name: String?) -> Any {
        if type.hasPrefix("[") {
            return [sample(type: String(type.dropFirst().dropLast()), enum: name)]
        }
        if let object = Self.objectName(type) { return sample(object: object) }
        switch type {
        case "int": return 1
        case "number": return 1.5
        case "bool": return true
        case "xyz": return [1.0, 2.0, 3.0]
        default: return name.flatMap { values(of: $0).first } ?? "text"
        }
    }
}
