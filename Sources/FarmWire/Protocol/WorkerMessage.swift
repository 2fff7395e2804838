import Foundation

/// Everything a worker sends to the coordinator.
public enum WorkerMessage: Sendable, Equatable {
    case ready(Ready)
    case heartbeat(WorkerHeartbeat)
    /// The clip, with its MP4 bytes (binary frame 0).
    case result(TaskResult, mp4: Data)
    case failed(TaskFailure)
    /// The worker is leaving (drained after SIGTERM).
    case disconnect(Disconnect)
    /// The worker could not parse something the coordinator sent.
    case error(ErrorReply)

    public var command: Command {
        switch self {
        case .ready: .ready
        case .heartbeat: .heartbeat
        case .result: .result
        case .failed: .failed
        case .disconnect: .disconnect
        case .error: .error
        }
    }

    public var frames: [Data] {
        switch self {
        case .ready(let body): WireMessage(.ready, body).frames
        case .heartbeat(let body): WireMessage(.heartbeat, body).frames
        case .result(let body, let mp4): WireMessage(.result, body, binaries: [mp4]).frames
        case .failed(let body): WireMessage(.failed, body).frames
        case .disconnect(let body): WireMessage(.disconnect, body).frames
        case .error(let body): WireMessage(.error, body).frames
        }
    }

    /// The frames as the worker's DEALER sent them (no routing identity).
    public static func parse(_ frames: [Data], limits: WireLimits = .standard) throws(ProtocolError) -> WorkerMessage {
        let message = try WireMessage.parse(frames, limits: limits)
        switch Command(rawValue: message.command) {
        case .ready:
            try message.expectBinaries(0)
            let ready = try message.decodeBody(Ready.self)
            if let (field, reason) = ready.problem() { throw .invalidValue(command: message.command, field: field, reason: reason) }
            return .ready(ready)
        case .heartbeat:
            try message.expectBinaries(0)
            return .heartbeat(try message.decodeBody(WorkerHeartbeat.self))
        case .result:
            try message.expectBinaries(1)
            let result = try message.decodeBody(TaskResult.self)
            guard result.stats.bytes == message.binaries[0].count else {
                throw .invalidValue(command: message.command, field: "stats.bytes",
                                    reason: "is \(result.stats.bytes) but the MP4 frame holds \(message.binaries[0].count) bytes")
            }
            return .result(result, mp4: message.binaries[0])
        case .failed:
            try message.expectBinaries(0)
            return .failed(try message.decodeBody(TaskFailure.self))
        case .disconnect:
            try message.expectBinaries(0)
            return .disconnect(try message.decodeBody(Disconnect.self))
        case .error:
            return .error(try message.decodeBody(ErrorReply.self))
        default:
            throw .unknownCommand(message.command, direction: .workerToCoordinator)
        }
    }
}
