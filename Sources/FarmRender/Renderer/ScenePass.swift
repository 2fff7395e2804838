import FarmCore

/// How a frame's pixels are drawn into the frame target from the shapes' instances for its step:
/// the backend's lit look (`LitScenePass`) or a camera sensor's raw image (`SensorScenePass`).
protocol ScenePass: AnyObject {
    func draw(_ geometry: SceneGeometry, view: CameraView, camera: FrameCamera, into target: FrameTarget)
}
