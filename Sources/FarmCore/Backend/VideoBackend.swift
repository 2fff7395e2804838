/// The two capture paths Isaac Lab's `VideoRecorder` chooses between.
public enum VideoBackend: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Isaac Sim's Kit camera (`/OmniverseKit_Persp` + Replicator RGB).
    case kit
    /// Newton's headless GL viewer.
    case newtonGL = "newton_gl"

    public var description: String { rawValue }
}
