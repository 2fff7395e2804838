import FarmCore
import Foundation

/// Everything the coordinator sends to a worker.
public enum CoordinatorMessage: Sendable, Equatable {
    case task(TaskAssignment, rollout: RolloutSlice)
    case heartbeat(CoordinatorHeartbeat)
    case cancel(CancelTask)
    /// The coordinator is shutting down or sending this worker away; the worker reconnects later.
    case disconnect(Disconnect)
    /// Something the worker sent was refused (`not_registered`: send READY again).
    case error(ErrorReply)

    public var command: Command {
        switch self {
        case .task: .task
        case .heartbeat: .heartbeat
        case .cancel: .cancel
        case .disconnect: .disconnect
        case .error: .error
        }
    }

    /// Frames without a routing identity; a ROUTER prepends it (`RoutedMessage.reply`).
    public var frames: [Data] {
        switch self {
        case .task(let body, let rollout): WireMessage(.task, body, binaries: rollout.binaries).frames
        case .heartbeat(let body): WireMessage(.heartbeat, body).frames
        case .cancel(let body): WireMessage(.cancel, body).frames
        case .disconnect(let body): WireMessage(.disconnect, body).frames
        case .error(let body): WireMessage(.error, body).frames
        }
    }

    /// `clipLimits`: what a TASK may ask, the coordinator's own submission limits.
    public static func parse(_ frames: [Data], limits: WireLimits = .standard,
                             clipLimits: SubmissionLimits = .standard) throws(ProtocolError) -> CoordinatorMessage {
        let message = try WireMessage.parse(frames, limits: limits)
        switch Command(rawValue: message.command) {
        case .task:
            let task = try message.decodeBody(TaskAssignment.self)
            let rollout = try RolloutSlice.parse(message.binaries, command: message.command)
            try validate(task, rollout: rollout, limits: clipLimits, command: message.command)
            return .task(task, rollout: rollout)
        case .heartbeat:
            try message.expectBinaries(0)
            return .heartbeat(try message.decodeBody(CoordinatorHeartbeat.self))
        case .cancel:
            try message.expectBinaries(0)
            return .cancel(try message.decodeBody(CancelTask.self))
        case .disconnect:
            try message.expectBinaries(0)
            return .disconnect(try message.decodeBody(Disconnect.self))
        case .error:
            return .error(try message.decodeBody(ErrorReply.self))
        default:
            throw .unknownCommand(message.command, direction: .coordinatorToWorker)
        }
    }

    /// The checks the coordinator made before it planned the clip, made again: a worker refuses what
    /// its coordinator would have refused (a peer that is not a well-behaved coordinator included).
    private static func validate(_ task: TaskAssignment, rollout: RolloutSlice, limits: SubmissionLimits,
                                 command: String) throws(ProtocolError) {
        func fail(_ field: String, _ reason: String) -> ProtocolError {
            .invalidValue(command: command, field: field, reason: reason)
        }
        guard task.attempt >= 1 else { throw fail("attempt", "must be >= 1, got \(task.attempt)") }
        do {
            try CameraConfigError.check(FrameSize(width: task.width, height: task.height), origin: command)
        } catch {
            throw fail("width", "\(error)")
        }
        do { _ = try task.fps.checked(field: "fps") } catch { throw fail("fps", "\(error)") }
        if let problem = task.camera.view.problem { throw fail("camera", "\(problem)") }
        let bodies = rollout.rollout.header.numBodies
        if let body = task.camera.originBody, !(0..<bodies).contains(body) {
            throw fail("camera.origin_body", "is \(body); the rollout slice's rows hold \(bodies) bodies")
        }
        if let point = task.camera.originPoint, !point.isFinite {
            throw fail("camera.origin_point", "has a NaN or infinite coordinate")
        }
        _ = try task.clipOutput()
        guard !task.steps.isEmpty else { throw fail("steps", "is empty; a clip has at least one frame") }
        guard task.steps.count <= limits.maxFramesPerClip else {
            throw fail("steps", "has \(task.steps.count) frames; a clip has at most \(limits.maxFramesPerClip)")
        }
        let available = rollout.rollout.header.stepRange
        if let outside = task.steps.firstIndex(where: { !available.contains($0) }) {
            throw fail("steps[\(outside)]", "is env step \(task.steps[outside]), outside the rollout slice's steps \(available.lowerBound)..<\(available.upperBound)")
        }
    }
}
