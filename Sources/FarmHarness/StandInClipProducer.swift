import FarmCore
import FarmWire
import FarmWorker
import Foundation

/// The render-free producer of the dispatch benchmark and the coordinator tests: no GL, the
/// request's shape as a blank `StandInClips` clip. Progress is reported for every requested frame
/// so heartbeats look like a real worker's. It lives in the harness, never in `farm-worker`.
public struct StandInClipProducer: ClipProducing {
    public init() {}

    public var capabilities: ProducerCapabilities {
        ProducerCapabilities(device: .none, backends: VideoBackend.allCases, encoders: ["libx264"])
    }

    public func produce(_ request: ClipRenderRequest, rollout: any RolloutSource, outputPath: String,
                        progress: @escaping @Sendable (ClipProgress) -> Void,
                        isCancelled: @escaping @Sendable () -> Bool) throws -> ProducedClip {
        let start = ContinuousClock.now
        if isCancelled() { throw CancellationError() }
        let clip = try StandInClips.clip(.init(width: request.width, height: request.height,
                                               frameRate: request.frameRate, frames: request.frameCount))
        progress(ClipProgress(framesDone: request.frameCount, framesTotal: request.frameCount, fps: 0))
        try clip.write(to: URL(fileURLWithPath: outputPath))
        let elapsed = ContinuousClock.now - start
        return ProducedClip(path: outputPath, frames: request.frameCount, bytes: clip.count,
                            wallMs: Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) * 1e-15)
    }
}
