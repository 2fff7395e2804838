import FarmCore

/// The inputs of Isaac Lab's `_resolve_video_backend`, as the job gave them. The worker resolves the
/// backend from these itself and refuses a task it cannot serve.
public struct BackendInputs: Codable, Sendable, Equatable {
    /// Isaac Lab `presets=` stack, in order (e.g. ["newton_mjwarp", "newton_renderer"]).
    public var presets: [String]
    /// Physics manager name, overriding what the presets imply.
    public var physics: String?
    /// Sensor renderer types (e.g. ["isaac_rtx"]), added to what the presets imply.
    public var rendererTypes: [String]
    /// Active visualizer types (e.g. ["newton"]).
    public var visualizers: [String]
    /// `visualizer` (default) or `renderer`; anything else is the seed's error at resolution.
    public var backendSource: String

    public init(presets: [String] = [], physics: String? = nil, rendererTypes: [String] = [],
                visualizers: [String] = [], backendSource: String = "visualizer") {
        self.presets = presets
        self.physics = physics
        self.rendererTypes = rendererTypes
        self.visualizers = visualizers
        self.backendSource = backendSource
    }

    /// Every field may be left out: lists default to empty, `backend_source` to `visualizer`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        presets = try c.decodeIfPresent([String].self, forKey: .presets) ?? []
        physics = try c.decodeIfPresent(String.self, forKey: .physics)
        rendererTypes = try c.decodeIfPresent([String].self, forKey: .rendererTypes) ?? []
        visualizers = try c.decodeIfPresent([String].self, forKey: .visualizers) ?? []
        backendSource = try c.decodeIfPresent(String.self, forKey: .backendSource) ?? "visualizer"
    }
}

/// The camera a task renders with.
public struct TaskCamera: Codable, Sendable, Equatable {
    public var eye: Vec3
    public var lookat: Vec3
    /// Follow the rollout slice's per-step `camera_track` (Newton visualizer live camera).
    public var followsCameraTrack: Bool
    /// eye and lookat are offsets from this body's position (a body_q row index), every frame.
    public var originBody: Int?
    /// eye and lookat are offsets from this fixed point (an env origin).
    public var originPoint: Vec3?

    public init(eye: Vec3, lookat: Vec3, followsCameraTrack: Bool = false, anchor: CameraAnchor = .world) {
        self.eye = eye
        self.lookat = lookat
        self.followsCameraTrack = followsCameraTrack
        switch anchor {
        case .world: break
        case .point(let point): originPoint = point
        case .body(let body): originBody = body
        }
    }

    public var view: CameraView { CameraView(eye: eye, lookat: lookat) }

    /// A body wins over a point should a peer send both (the coordinator never does).
    public var anchor: CameraAnchor {
        if let originBody { return .body(originBody) }
        if let originPoint { return .point(originPoint) }
        return .world
    }
}

/// TASK: render one clip. Binary frames carry the rollout slice (`RolloutSlice`).
public struct TaskAssignment: Codable, Sendable, Equatable {
    public var jobId: String
    /// Unique within the coordinator.
    public var clipId: Int
    /// Dispatch number of this clip, from 1; RESULT and FAILED echo it (fencing).
    public var attempt: Int
    /// The clip's file name in the run's video folder (for logs), e.g. "rl-video-step-0.mp4".
    public var clipFile: String
    public var backendInputs: BackendInputs
    public var camera: TaskCamera
    public var width: Int
    public var height: Int
    public var fps: FrameRate
    /// Env steps whose frames the clip holds, in order; all inside the rollout slice.
    public var steps: [Int]
    /// `rgb` when absent; `depth`, `normals`, `segmentation` (workers announce `outputs` in READY's
    /// `features` to be sent these).
    public var output: String?
    public var depthColormapMin: Double?
    public var depthColormapMax: Double?

    public init(jobId: String, clipId: Int, attempt: Int, clipFile: String, backendInputs: BackendInputs,
                camera: TaskCamera, width: Int, height: Int, fps: FrameRate, steps: [Int], output: ClipOutput = .rgb) {
        self.jobId = jobId
        self.clipId = clipId
        self.attempt = attempt
        self.clipFile = clipFile
        self.backendInputs = backendInputs
        self.camera = camera
        self.width = width
        self.height = height
        self.fps = fps
        self.steps = steps
        switch output {
        case .rgb: break
        case .depth(let range):
            self.output = ClipOutput.Kind.depth.rawValue
            depthColormapMin = range.lowerBound
            depthColormapMax = range.upperBound
        case .normals, .segmentation: self.output = output.kind.rawValue
        }
    }

    /// What the frames show; refused (naming the field) when the coordinator sent something unknown.
    public func clipOutput() throws(ProtocolError) -> ClipOutput {
        guard let output else { return .rgb }
        guard let kind = ClipOutput.Kind(rawValue: output) else {
            throw .badJSON(command: Command.task.rawValue, field: "output",
                           reason: "is \"\(output)\"; expected one of \(ClipOutput.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        do {
            return try ClipOutput(kind: kind, depthMin: depthColormapMin, depthMax: depthColormapMax)
        } catch {
            throw .badJSON(command: Command.task.rawValue, field: "depth_colormap_min", reason: "\(error)")
        }
    }

    /// The pipeline's input once the worker has resolved `backend`.
    public func renderRequest(backend: VideoBackend) throws(ProtocolError) -> ClipRenderRequest {
        ClipRenderRequest(backend: backend, camera: camera.view, anchor: camera.anchor,
                          followsCameraTrack: camera.followsCameraTrack, output: try clipOutput(),
                          width: width, height: height, frameRate: fps, steps: steps)
    }
}

/// HEARTBEAT from the coordinator: its presence is the message; the body is `{}`.
public struct CoordinatorHeartbeat: Codable, Sendable, Equatable {
    public init() {}
}

/// CANCEL: abandon this clip if it is the one rendering (nothing is sent back).
public struct CancelTask: Codable, Sendable, Equatable {
    public var jobId: String
    public var clipId: Int
    public var attempt: Int

    public init(jobId: String, clipId: Int, attempt: Int) {
        self.jobId = jobId
        self.clipId = clipId
        self.attempt = attempt
    }
}

extension BackendInputs {
    /// The backend these inputs select, resolved as Isaac Lab does (see `BackendResolver`).
    public func resolve(catalog: PresetCatalog) throws -> BackendResolution {
        try BackendResolver.resolve(presets: presets, physics: physics, rendererTypes: rendererTypes,
                                    visualizers: visualizers, backendSource: backendSource, catalog: catalog)
    }
}
