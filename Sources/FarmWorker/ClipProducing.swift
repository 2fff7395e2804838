import FarmCore
import FarmWire

/// The seam between the worker daemon and whatever turns rollout rows into an MP4. A producer lives
/// on the render thread that created it (GL contexts are bound to their thread), so it need not be
/// `Sendable`; the daemon only ever calls it there.
public protocol ClipProducing {
    /// What READY announces; read once, on the render thread, right after creation.
    var capabilities: ProducerCapabilities { get }

    /// Renders and encodes one clip to `outputPath`.
    /// - Parameters:
    ///   - progress: call after each frame (any thread-safety is the daemon's concern).
    ///   - isCancelled: check before each frame; when true, stop and throw (any error): the daemon
    ///     drops the clip, deletes `outputPath` and sends nothing.
    /// - Throws: an error whose `RetryVerdict` says whether another worker could succeed (a bad
    ///   request says no); an error without a verdict is taken as this worker's trouble.
    func produce(_ request: ClipRenderRequest, rollout: any RolloutSource, outputPath: String,
                 progress: @escaping @Sendable (ClipProgress) -> Void,
                 isCancelled: @escaping @Sendable () -> Bool) throws -> ProducedClip
}

/// A finished clip on disk and how it was made.
public struct ProducedClip: Sendable, Equatable {
    public var path: String
    public var frames: Int
    public var bytes: Int
    /// Wall time from the first frame rendered to the file in place, in milliseconds. Rendering,
    /// colour conversion and encoding overlap, so no split between them would be true.
    public var wallMs: Double

    public init(path: String, frames: Int, bytes: Int, wallMs: Double) {
        self.path = path
        self.frames = frames
        self.bytes = bytes
        self.wallMs = wallMs
    }
}

/// What a producer can do, as READY reports it.
public struct ProducerCapabilities: Sendable, Equatable {
    public var device: DeviceInfo
    public var backends: [VideoBackend]
    public var encoders: [String]
    public var features: [WorkerFeature]

    public init(device: DeviceInfo, backends: [VideoBackend], encoders: [String],
                features: [WorkerFeature] = WorkerFeature.allCases) {
        self.device = device
        self.backends = backends
        self.encoders = encoders
        self.features = features
    }
}

/// Builds the producer on the render thread at startup. Throwing here is a fatal device error: the
/// worker exits non-zero with the error's description.
public typealias ClipProducerFactory = @Sendable () throws -> any ClipProducing
