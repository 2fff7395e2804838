import Testing
@testable import FarmCore

@Suite("From a planned clip to a render request")
struct PlannedClipRequestTests {
    let task = TaskCatalog.builtIn.config(forTask: "Isaac-Cartpole-v0")

    @Test("gymnasium clips render rollout rows S...S+L-1; Kit keeps the initial camera")
    func gymnasium() throws {
        let clip = try ScheduleKind.gymnasium.plan(ScheduleParameters(totalSteps: 1200, videoLength: 100, videoInterval: 500))[1]
        let resolution = try BackendResolver.resolve(visualizerTypes: ["kit"], physicsManagerName: "PhysxManager", rendererTypes: [])
        let request = ClipRenderRequest(clip: clip, resolution: resolution, camera: try RecorderCamera.resolve(task: task),
                                        frameRate: try task.frameRate)
        #expect(request.steps == Array(500..<600))
        #expect(request.backend == .kit)
        #expect(!request.followsCameraTrack)
        #expect(request.camera == CameraView(eye: Vec3(8, 0, 5), lookat: Vec3(0, 0, 0)))
        #expect(request.width == 1280 && request.height == 720)
        #expect(request.frameRate == FrameRate(numerator: 60, denominator: 1))
    }

    @Test("isaaclab steps count from 1, rollout rows from 0; Newton follows the live camera")
    func isaaclab() throws {
        let clip = try ScheduleKind.isaaclab.plan(ScheduleParameters(totalSteps: 10, videoLength: 4, videoInterval: 0, frameStride: 2))[0]
        let resolution = try BackendResolver.resolve(visualizerTypes: ["newton"], physicsManagerName: "PhysxManager", rendererTypes: [])
        let request = ClipRenderRequest(clip: clip, resolution: resolution, camera: try RecorderCamera.resolve(task: task),
                                        frameRate: try task.frameRate)
        #expect(Array(clip.steps) == [2, 4])
        #expect(request.steps == [1, 3])
        #expect(request.backend == .newtonGL)
        #expect(request.followsCameraTrack)
    }
}
