import Foundation

/// Everything a client (`farmctl`, a trainer) sends to the coordinator's client socket.
public enum ClientRequest: Sendable, Equatable {
    /// With the whole rollout file inline (binary frame 0), or nil when `job.upload_id` names an upload.
    case submit(SubmitJob, rollout: Data?)
    case uploadBegin(UploadBegin)
    case uploadChunk(UploadChunk, bytes: Data)
    case status(StatusQuery)
    case workers(WorkersQuery)
    case cancelJob(CancelJob)
    case retryJob(RetryJob)
    case fetchClip(FetchClip)

    public var command: Command {
        switch self {
        case .submit: .submit
        case .uploadBegin: .uploadBegin
        case .uploadChunk: .uploadChunk
        case .status: .status
        case .workers: .workers
        case .cancelJob: .cancelJob
        case .retryJob: .retryJob
        case .fetchClip: .fetchClip
        }
    }

    public var frames: [Data] {
        switch self {
        case .submit(let body, let rollout): WireMessage(.submit, body, binaries: rollout.map { [$0] } ?? []).frames
        case .uploadBegin(let body): WireMessage(.uploadBegin, body).frames
        case .uploadChunk(let body, let bytes): WireMessage(.uploadChunk, body, binaries: [bytes]).frames
        case .status(let body): WireMessage(.status, body).frames
        case .workers(let body): WireMessage(.workers, body).frames
        case .cancelJob(let body): WireMessage(.cancelJob, body).frames
        case .retryJob(let body): WireMessage(.retryJob, body).frames
        case .fetchClip(let body): WireMessage(.fetchClip, body).frames
        }
    }

    public static func parse(_ frames: [Data], limits: WireLimits = .standard) throws(ProtocolError) -> ClientRequest {
        let message = try WireMessage.parse(frames, limits: limits)
        switch Command(rawValue: message.command) {
        case .submit:
            let job = try message.decodeBody(SubmitJob.self)
            let unsupported = job.unsupportedRequiredFields
            guard unsupported.isEmpty else { throw .unsupportedFields(command: message.command, fields: unsupported) }
            if job.uploadId != nil {
                try message.expectBinaries(0)
                return .submit(job, rollout: nil)
            }
            guard message.binaries.count == 1 else {
                if message.binaries.isEmpty {
                    throw .missingBinaryFrames(command: message.command, expected: "1 (the rollout file) or an upload_id", found: 0)
                }
                throw .unexpectedBinaryFrames(command: message.command, expected: 1, found: message.binaries.count)
            }
            return .submit(job, rollout: message.binaries[0])
        case .uploadBegin:
            try message.expectBinaries(0)
            let begin = try message.decodeBody(UploadBegin.self)
            guard begin.totalBytes > 0 else {
                throw .invalidValue(command: message.command, field: "total_bytes", reason: "must be positive, got \(begin.totalBytes)")
            }
            return .uploadBegin(begin)
        case .uploadChunk:
            try message.expectBinaries(1)
            let chunk = try message.decodeBody(UploadChunk.self)
            guard chunk.offset >= 0 else {
                throw .invalidValue(command: message.command, field: "offset", reason: "must be >= 0, got \(chunk.offset)")
            }
            guard message.binaries[0].count <= UploadChunk.maxBytes else {
                throw .invalidValue(command: message.command, field: "binary frame 0", reason: "is \(message.binaries[0].count) "
                    + "bytes; an upload chunk may carry at most \(UploadChunk.maxBytes) (clients send \(WireLimits.recommendedChunkBytes))")
            }
            return .uploadChunk(chunk, bytes: message.binaries[0])
        case .status:
            try message.expectBinaries(0)
            return .status(try message.decodeBody(StatusQuery.self))
        case .workers:
            try message.expectBinaries(0)
            return .workers(try message.decodeBody(WorkersQuery.self))
        case .cancelJob:
            try message.expectBinaries(0)
            return .cancelJob(try message.decodeBody(CancelJob.self))
        case .retryJob:
            try message.expectBinaries(0)
            return .retryJob(try message.decodeBody(RetryJob.self))
        case .fetchClip:
            try message.expectBinaries(0)
            let fetch = try message.decodeBody(FetchClip.self)
            if let offset = fetch.offset, offset < 0 {
                throw .invalidValue(command: message.command, field: "offset", reason: "must be >= 0, got \(offset)")
            }
            if let maxBytes = fetch.maxBytes, maxBytes < 1 {
                throw .invalidValue(command: message.command, field: "max_bytes", reason: "must be >= 1, got \(maxBytes)")
            }
            return .fetchClip(fetch)
        default:
            throw .unknownCommand(message.command, direction: .clientToCoordinator)
        }
    }
}

/// The coordinator's answer to each client request: exactly one, OK or ERROR.
public enum ClientReply: Sendable, Equatable {
    case ok(OkReply)
    case error(ErrorReply)

    public var command: Command {
        switch self {
        case .ok: .ok
        case .error: .error
        }
    }

    public var frames: [Data] {
        switch self {
        case .ok(let body): WireMessage(.ok, body, binaries: body.clipBytes.map { [$0] } ?? []).frames
        case .error(let body): WireMessage(.error, body).frames
        }
    }

    public static func parse(_ frames: [Data], limits: WireLimits = .standard) throws(ProtocolError) -> ClientReply {
        let message = try WireMessage.parse(frames, limits: limits)
        switch Command(rawValue: message.command) {
        case .ok:
            var body = try message.decodeBody(OkReply.self)
            if let chunk = body.clipChunk {
                try message.expectBinaries(1)
                guard message.binaries[0].count == chunk.bytes else {
                    throw .invalidValue(command: message.command, field: "clip_chunk.bytes",
                                        reason: "says \(chunk.bytes) but binary frame 0 holds \(message.binaries[0].count)")
                }
                body.clipBytes = message.binaries[0]
            } else {
                try message.expectBinaries(0)
            }
            return .ok(body)
        case .error:
            return .error(try message.decodeBody(ErrorReply.self))
        default:
            throw .unknownCommand(message.command, direction: .coordinatorToClient)
        }
    }
}
