/// A recorded frame's size in pixels (`window_width` × `window_height`).
public struct FrameSize: Sendable, Hashable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// `VideoRecorderCfg`'s 1280×720.
    public static let recorderDefault = FrameSize(width: 1280, height: 720)

    public var description: String { "\(width)x\(height)" }
}
