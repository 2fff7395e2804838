import Testing
@testable import FarmCore

@Suite("Recorder camera")
struct RecorderCameraTests {
    let cartpole = TaskCatalog.builtIn.config(forTask: "Isaac-Cartpole-v0")

    @Test("A world-origin viewer is copied into the recorder")
    func worldViewer() throws {
        let camera = try RecorderCamera.resolve(task: cartpole)
        #expect(camera.view == CameraView(eye: Vec3(8, 0, 5), lookat: Vec3(0, 0, 0)))
        #expect(camera.frameSize == FrameSize(width: 1280, height: 720))
    }

    @Test("Other origins keep the recorder's defaults", arguments: [OriginType.env, .assetRoot, .assetBody])
    func nonWorldViewer(_ origin: OriginType) throws {
        var task = cartpole
        task.viewer.originType = origin
        let camera = try RecorderCamera.resolve(task: task)
        #expect(camera.view == CameraView(eye: Vec3(7.5, 7.5, 7.5), lookat: Vec3(0, 0, 0)))
    }

    @Test("An unknown task gets Isaac Lab's default view, 1280x720")
    func defaultTask() throws {
        let task = TaskCatalog.builtIn.config(forTask: "Isaac-Ant-v0")
        #expect(task.name == "Isaac-Ant-v0")
        let camera = try RecorderCamera.resolve(task: task)
        #expect(camera.view == .recorderDefault)
        #expect(camera.frameSize == .recorderDefault)
        #expect(try task.frameRate == FrameRate(numerator: 30, denominator: 1))
    }

    @Test("A visualizer's camera replaces the viewer's; explicit overrides win over both")
    func precedence() throws {
        let visualizer = CameraView(eye: Vec3(1, 2, 3), lookat: Vec3(0, 0, 1))
        #expect(try RecorderCamera.resolve(task: cartpole, visualizerCamera: visualizer).view == visualizer)

        let eyeOnly = try RecorderCamera.resolve(task: cartpole, visualizerCamera: visualizer,
                                                 overrides: CameraOverrides(eye: Vec3(4, 4, 4)))
        #expect(eyeOnly.view == CameraView(eye: Vec3(4, 4, 4), lookat: Vec3(0, 0, 1)))

        let all = try RecorderCamera.resolve(task: cartpole, overrides: CameraOverrides(
            eye: Vec3(-3, 0, 2), lookat: Vec3(0, 0, 0.5), width: 640, height: 480))
        #expect(all == RecorderCamera(view: CameraView(eye: Vec3(-3, 0, 2), lookat: Vec3(0, 0, 0.5)),
                                      frameSize: FrameSize(width: 640, height: 480)))

        var envTask = cartpole
        envTask.viewer.originType = .env
        let overridden = try RecorderCamera.resolve(task: envTask, overrides: CameraOverrides(lookat: Vec3(1, 1, 1)))
        #expect(overridden.view == CameraView(eye: Vec3(7.5, 7.5, 7.5), lookat: Vec3(1, 1, 1)))
    }

    @Test("Unusable cameras are refused, naming the field", arguments: [
        (CameraOverrides(eye: Vec3(0, 0, 0)), "eye and lookat are both (0.0, 0.0, 0.0)"),
        (CameraOverrides(eye: Vec3(.nan, 0, 0)), "eye (nan, 0.0, 0.0) has a NaN or infinite coordinate"),
        (CameraOverrides(lookat: Vec3(0, .infinity, 0)), "lookat (0.0, inf, 0.0) has a NaN or infinite coordinate"),
        (CameraOverrides(lookat: Vec3(0, 0, -.infinity)), "lookat (0.0, 0.0, -inf) has a NaN or infinite coordinate"),
        (CameraOverrides(width: 0), "width 0 must be an even number of pixels from 2 to 16384"),
        (CameraOverrides(width: 1281), "width 1281 must be an even number"),
        (CameraOverrides(height: 16386), "height 16386 must be an even number of pixels from 2 to 16384"),
        (CameraOverrides(height: -720), "height -720 must be an even number"),
        (CameraOverrides(eye: Vec3(1, 1, 1), lookat: Vec3(1, 1, 1)), "eye and lookat are both (1.0, 1.0, 1.0)"),
    ])
    func refused(_ overrides: CameraOverrides, _ fragment: String) {
        let error = #expect(throws: CameraConfigError.self) {
            try RecorderCamera.resolve(task: cartpole, overrides: overrides)
        }
        #expect(error?.description.contains(fragment) == true, "\(String(describing: error))")
        #expect(error?.description.contains("Isaac-Cartpole-v0") == true)
    }

    @Test("A visualizer camera looking at itself is refused too")
    func badVisualizer() {
        #expect(throws: CameraConfigError.self) {
            try RecorderCamera.resolve(task: cartpole, visualizerCamera: CameraView(eye: Vec3(2, 2, 2), lookat: Vec3(2, 2, 2)))
        }
    }
}

@Suite("Task catalog")
struct TaskCatalogTests {
    @Test("Cartpole tasks", arguments: ["Isaac-Cartpole-v0", "Isaac-Cartpole-Direct-v0"])
    func cartpole(_ name: String) throws {
        let task = TaskCatalog.builtIn.config(forTask: name)
        #expect(task.name == name)
        #expect(task.viewer == ViewerConfig(eye: Vec3(8, 0, 5), lookat: Vec3(0, 0, 0), originType: .world))
        #expect(task.frameSize == FrameSize(width: 1280, height: 720))
        #expect(task.stepDt == 1.0 / 60.0)
        #expect(try task.frameRate == FrameRate(numerator: 60, denominator: 1))
        #expect(task.numEnvs == 4096)
        #expect(task.envSpacing == 4.0)
        #expect(task.workflow == "rl_games")
    }

    @Test("The default entry is Isaac Lab's ViewerCfg")
    func defaultEntry() {
        let task = TaskCatalog.builtIn.config(forTask: "default")
        #expect(task.viewer == .isaacLabDefault)
        #expect(task.stepDt == nil && task.workflow == nil)
    }

    @Test("Task values are validated", arguments: [
        TaskConfig(name: "t", viewer: ViewerConfig(eye: Vec3(1, 1, 1), lookat: Vec3(1, 1, 1))),
        TaskConfig(name: "t", viewer: .isaacLabDefault, frameSize: FrameSize(width: 0, height: 720)),
        TaskConfig(name: "t", viewer: .isaacLabDefault, stepDt: 0),
        TaskConfig(name: "t", viewer: .isaacLabDefault, stepDt: .nan),
        TaskConfig(name: "t", viewer: .isaacLabDefault, numEnvs: 0),
        TaskConfig(name: "t", viewer: .isaacLabDefault, envSpacing: -1),
        TaskConfig(name: "t", viewer: ViewerConfig(eye: Vec3(.nan, 1, 1), lookat: Vec3(0, 0, 0), originType: .env)),
    ])
    func invalid(_ task: TaskConfig) {
        #expect(throws: CameraConfigError.self) { try task.validated() }
    }

    @Test("A catalog needs a default entry and unique names")
    func catalogRules() {
        let one = TaskConfig(name: "a", viewer: .isaacLabDefault)
        #expect(throws: CameraConfigError.self) { try TaskCatalog(tasks: [one]) }
        let fallback = TaskConfig(name: "default", viewer: .isaacLabDefault)
        #expect(throws: CameraConfigError.self) { try TaskCatalog(tasks: [fallback, one, one]) }
        #expect(throws: Never.self) { try TaskCatalog(tasks: [fallback, one]) }
    }
}
