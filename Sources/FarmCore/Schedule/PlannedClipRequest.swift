extension ClipRenderRequest {
    /// The render request for one planned clip: its frames are the clip's env step indices (rollout
    /// rows), its camera the recorder's, and it follows the rollout's camera track exactly when the
    /// Newton visualizer chose the backend (live per-frame camera sync).
    public init(clip: PlannedClip, resolution: BackendResolution, camera: RecorderCamera, frameRate: FrameRate) {
        self.init(backend: resolution.backend, camera: camera.view,
                  followsCameraTrack: resolution.cameraSync == .livePerFrame,
                  width: camera.frameSize.width, height: camera.frameSize.height,
                  frameRate: frameRate, steps: Array(clip.envStepIndices))
    }
}
