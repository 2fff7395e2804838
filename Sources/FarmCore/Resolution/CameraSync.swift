/// How the recording camera relates to an interactive visualizer, as Isaac Lab's
/// `isaaclab/envs/utils/video_recorder.py` syncs it.
public enum CameraSync: String, Sendable, CaseIterable, Codable {
    /// No visualizer drove the choice: the camera comes from the task's viewer config and overrides.
    case none
    /// Kit: the visualizer's eye/lookat replace the recorder's once, at construction.
    case initialFromVisualizer = "initial"
    /// Newton: the viewer's live camera is re-read before every frame, so a rollout's per-step
    /// camera track drives the clip.
    case livePerFrame = "live"
}
