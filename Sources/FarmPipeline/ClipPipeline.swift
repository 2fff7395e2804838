import FarmCore
import FarmEncode
import FarmRender
import Foundation
import Logging

/// Turns rollout rows into one MP4: the renderer draws and reads back frames on the calling (GL)
/// thread while the encoder compresses earlier frames on its own threads, joined by a bounded
/// queue so memory stays flat however long the clip. With `convertsOnGPU` frames are converted
/// to I420 on the GPU, unless a frame sink needs them as RGB; otherwise the encoder converts them.
///
/// Create and use a pipeline on one thread: it owns the GL context's renderer state.
public final class ClipPipeline {
    public let device: RenderDevice
    public let encoderSettings: EncoderSettings
    /// Frames gathered per render batch: bounds the body_q rows held at once.
    public var batchFrames = 64
    /// Convert RGB → I420 on the GPU before readback. On by default on hardware GPUs, where the
    /// pass is nearly free and frees the encoder's cores. Off on llvmpipe: there the "GPU" is the
    /// same CPU, and the shader pass cost more than swscale's SIMD conversion (pipeline 34–40
    /// frames per CPU-second against 50–55, docs/ENCODING.md).
    public var convertsOnGPU: Bool
    private let logger: Logger

    public init(device: RenderDevice, encoderSettings: EncoderSettings = EncoderSettings(),
                logger: Logger = Logger(label: "farm.pipeline")) {
        self.device = device
        self.encoderSettings = encoderSettings
        self.logger = logger
        convertsOnGPU = !device.isSoftwareRasterizer
    }

    /// Renders and encodes `request`'s frames to `outputPath` (written under a temporary name and
    /// renamed when complete). `isCancelled` is checked every frame; a cancelled clip leaves nothing.
    /// `frameSink`, when given, sees every frame as RGB (and turns off the GPU conversion).
    public func produce(_ request: ClipRenderRequest, rollout: any RolloutSource, outputPath: String,
                        frameSink: ((Int, RGBFrame) throws -> Void)? = nil,
                        progress: (ClipProgress) -> Void = { _ in },
                        isCancelled: () -> Bool = { false }) throws -> ClipStats {
        guard !request.steps.isEmpty else { throw PipelineError.emptyClip }
        let header = rollout.header
        for step in request.steps where !header.stepRange.contains(step) {
            throw PipelineError.stepOutsideRollout(step: step, available: header.stepRange)
        }
        if case .body(let body) = request.anchor, !(0..<header.numBodies).contains(body) {
            throw PipelineError.anchorBodyOutsideRollout(body: body, numBodies: header.numBodies)
        }
        let renderer = try ClipRenderer(device: device, backend: request.backend, header: header,
                                        meshes: try rollout.meshes(), width: request.width, height: request.height,
                                        output: request.output)
        let encoder = try ClipEncoder(path: outputPath, width: request.width, height: request.height,
                                      frameRate: request.frameRate, settings: encoderSettings)
        let clock = ContinuousClock()
        let start = clock.now
        var framesDone = 0
        func checkCancelled() throws { if isCancelled() { throw PipelineError.cancelled } }
        func frameDone() {
            framesDone += 1
            progress(ClipProgress(framesDone: framesDone, framesTotal: request.frameCount,
                                  fps: Double(framesDone) / max(start.duration(to: clock.now).seconds, 1e-9)))
        }
        do {
            for batchStart in stride(from: 0, to: request.steps.count, by: batchFrames) {
                let batch = Array(request.steps[batchStart..<min(batchStart + batchFrames, request.steps.count)])
                let poses = try gatherRows(batch, from: rollout)
                let cameras = batch.indices.map { camera(frame: $0, step: batch[$0], poses: poses, request, header) }
                if convertsOnGPU && frameSink == nil {
                    try renderer.renderFramesYUV(poses, cameras: cameras) { _, frame in
                        try checkCancelled()
                        try encoder.append(frame)
                        frameDone()
                    }
                } else {
                    try renderer.renderFrames(poses, cameras: cameras) { _, frame in
                        try checkCancelled()
                        try frameSink?(framesDone, frame)
                        try encoder.append(frame)
                        frameDone()
                    }
                }
            }
            let clip = try encoder.finish()
            let seconds = start.duration(to: clock.now).seconds
            logger.debug("clip done", metadata: ["path": "\(outputPath)", "frames": "\(framesDone)", "seconds": "\(seconds)"])
            return ClipStats(path: clip.path, frames: clip.frameCount, bytes: clip.byteSize, codec: clip.codecName,
                             seconds: seconds, renderer: device.renderer)
        } catch {
            encoder.abandon()
            throw error
        }
    }

    /// The rows of `steps` (possibly strided), in order, indexed by frame.
    private func gatherRows(_ steps: [Int], from rollout: any RolloutSource) throws -> BodyPoseRows {
        let span = try rollout.bodyPoses(steps: steps.first!..<(steps.max()! + 1))
        if span.steps.count == steps.count { return BodyPoseRows(steps: 0..<steps.count, numBodies: span.numBodies, values: span.values) }
        var values: [Float] = []
        values.reserveCapacity(steps.count * span.numBodies * RolloutFormat.floatsPerPose)
        for step in steps {
            for body in 0..<span.numBodies { values.append(contentsOf: span.row(step: step, body: body)) }
        }
        return BodyPoseRows(steps: 0..<steps.count, numBodies: span.numBodies, values: values)
    }

    /// A Newton-visualizer job follows the live track (Kit places its camera once, at construction, so
    /// a kit clip never does); otherwise the request's camera, moved by its anchor's position at this
    /// frame (the anchor body's row in `poses`, indexed by frame), as Isaac Lab's origin tracking
    /// moves either backend's camera.
    private func camera(frame: Int, step: Int, poses: BodyPoseRows, _ request: ClipRenderRequest,
                        _ header: RolloutHeader) -> CameraView {
        if request.followsCameraTrack, request.backend == .newtonGL, let track = header.cameraTrack {
            return track[step - header.firstStep]
        }
        return request.anchor.view(offset: request.camera) { body in
            let row = poses.row(step: frame, body: body)
            return Vec3(Double(row[row.startIndex]), Double(row[row.startIndex + 1]), Double(row[row.startIndex + 2]))
        }
    }
}
