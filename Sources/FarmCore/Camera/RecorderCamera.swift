/// The recorder's perspective camera and frame size, decided the way Isaac Lab's RL base classes
/// and `VideoRecorder` decide them.
public struct RecorderCamera: Sendable, Hashable {
    public var view: CameraView
    public var frameSize: FrameSize

    public init(view: CameraView, frameSize: FrameSize) {
        self.view = view
        self.frameSize = frameSize
    }

    /// Later sources win, field by field:
    /// 1. the recorder's defaults, (7.5, 7.5, 7.5) → (0, 0, 0);
    /// 2. the task viewer's eye/lookat, copied only for `origin_type: world` (for other origins they
    ///    are offsets from a moving origin, which the recorder does not follow);
    /// 3. the camera of the visualizer that chose the backend, when one did (Kit and Newton both
    ///    replace eye/lookat at construction; Newton then follows its live camera per frame);
    /// 4. explicit overrides.
    /// The frame size is the task's, unless overridden. The result is validated: finite
    /// coordinates, eye ≠ lookat, positive sizes.
    public static func resolve(task: TaskConfig, visualizerCamera: CameraView? = nil,
                               overrides: CameraOverrides = .none) throws(CameraConfigError) -> RecorderCamera {
        var view = CameraView.recorderDefault
        if task.viewer.originType == .world { view = task.viewer.view }
        if let visualizerCamera { view = visualizerCamera }
        if let eye = overrides.eye { view.eye = eye }
        if let lookat = overrides.lookat { view.lookat = lookat }
        let size = FrameSize(width: overrides.width ?? task.frameSize.width,
                             height: overrides.height ?? task.frameSize.height)
        let origin = "recording camera for task '\(task.name)'"
        try CameraConfigError.check(view, origin: origin)
        try CameraConfigError.check(size, origin: origin)
        return RecorderCamera(view: view, frameSize: size)
    }
}
