import FarmCore
import FarmEncode
import FarmPipeline
import FarmRender
import FarmWire
import FarmWorker

/// The real producer: FarmPipeline's EGL render + libav encode on the device this worker owns. It
/// lives in the executable so that the daemon's logic (FarmWorker) links neither EGL nor libav.
/// Created on the render thread (the GL context is bound to it) by the daemon's factory.
final class PipelineClipProducer: ClipProducing {
    private let pipeline: ClipPipeline
    let capabilities: ProducerCapabilities

    /// Opens the EGL device `request` selects; a device error here is fatal for the worker.
    init(request: DeviceRequest, encoderSettings: EncoderSettings = EncoderSettings()) throws {
        let device = try RenderDevice(request: request)
        let selected = device.selection.device
        pipeline = ClipPipeline(device: device, encoderSettings: encoderSettings)
        capabilities = ProducerCapabilities(
            device: DeviceInfo(eglIndex: selected.index, kind: selected.kind.rawValue, cudaOrdinal: selected.cudaOrdinal,
                               drmPath: selected.drmPath, glVendor: device.vendor, glRenderer: device.renderer),
            backends: VideoBackend.allCases, encoders: [encoderSettings.codec == .h264 ? "libx264" : "mpeg4"])
    }

    func produce(_ request: ClipRenderRequest, rollout: any RolloutSource, outputPath: String,
                        progress: @escaping @Sendable (ClipProgress) -> Void,
                        isCancelled: @escaping @Sendable () -> Bool) throws -> ProducedClip {
        let stats = try pipeline.produce(request, rollout: rollout, outputPath: outputPath,
                                         progress: progress, isCancelled: isCancelled)
        return ProducedClip(path: stats.path, frames: stats.frames, bytes: stats.bytes, wallMs: stats.seconds * 1000)
    }
}
