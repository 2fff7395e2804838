import FarmCore
import FarmWire
import Foundation

/// Sample bodies for every command, shared by the round-trip, malformed-input and socket tests.
enum Fixtures {
    static let device = DeviceInfo(eglIndex: 1, kind: "nvidia", cudaOrdinal: 0, drmPath: "/dev/dri/card1",
                                   glVendor: "NVIDIA Corporation", glRenderer: "NVIDIA H100 80GB HBM3/PCIe/SSE2")

    static let ready = Ready(workerId: "node7-4242-a1b2c3", host: "node7", pid: 4242, device: device,
                             backends: [.kit, .newtonGL], encoders: ["libx264"], version: "0.1.0")

    static let heartbeat = WorkerHeartbeat(state: .rendering, jobId: "job-1", clipId: 3, attempt: 1,
                                           framesDone: 40, framesTotal: 100, fps: 57.5, rssBytes: 123_456_789)

    static let stats = ClipStats(frames: 4, fps: FrameRate(numerator: 60, denominator: 1), wallMs: 15.75, bytes: 6)

    static let result = TaskResult(jobId: "job-1", clipId: 3, attempt: 2, stats: stats)
    static let mp4 = Data([0, 0, 0, 0x18, 0x66, 0x74])

    static let failure = TaskFailure(jobId: "job-1", clipId: 3, attempt: 2,
                                     error: "no supported backend", retryable: false)

    /// Two steps, two bodies, one mesh: exercises every rollout binary frame.
    static var rollout: InMemoryRollout {
        let header = RolloutHeader(
            stepDT: 1.0 / 60.0, firstStep: 10, steps: 2, numBodies: 2, numEnvs: 1, envSpacing: 4,
            viewer: .init(eye: Vec3(8, 0, 5), lookat: Vec3(0, 0, 0)),
            cameraTrack: [CameraView(eye: Vec3(8, 0, 5), lookat: Vec3(0, 0, 0)),
                          CameraView(eye: Vec3(8, 1, 5), lookat: Vec3(0, 0, 0))],
            shapes: [ShapeSpec(geometry: .box(halfExtents: Vec3(0.5, 0.5, 0.5)), body: 0),
                     ShapeSpec(geometry: .mesh(index: 0, scale: Vec3(1, 1, 1)), body: 1, color: Vec3(1, 0, 0)),
                     ShapeSpec(geometry: .plane(width: 0, length: 0), body: -1)],
            meshes: [MeshLocation(verticesOffset: 0, vertexCount: 3, indicesOffset: 36, indexCount: 3)])
        let pose: [Float] = [0, 0, 1, 0, 0, 0, 1]
        let bodyQ = Array([[Float]](repeating: pose, count: 4).joined())
        let mesh = MeshData(vertices: [0, 0, 0, 1, 0, 0, 0, 1, 0], indices: [0, 1, 2])
        return try! InMemoryRollout(header: header, bodyQ: bodyQ, meshes: [mesh])
    }

    static let task = TaskAssignment(
        jobId: "job-1", clipId: 3, attempt: 1, clipFile: "rl-video-step-10.mp4",
        backendInputs: BackendInputs(presets: ["newton_mjwarp"], physics: nil, rendererTypes: [],
                                     visualizers: ["newton"], backendSource: "visualizer"),
        camera: TaskCamera(eye: Vec3(8, 0, 5), lookat: Vec3(0, 0, 0), followsCameraTrack: true),
        width: 64, height: 48, fps: FrameRate(numerator: 60, denominator: 1), steps: [10, 11])

    static let submit = SubmitJob(workflow: "rl_games", task: "Isaac-Cartpole-v0", run: "2026-01-01_00-00-00",
                                  videoLength: 100, videoInterval: 500, schedule: "gymnasium",
                                  backendInputs: BackendInputs(presets: ["physx"]), eye: Vec3(8, 0, 5),
                                  width: 1280, height: 720, maxRetries: 2)

    static let job = JobRecord(id: "job-1", state: .running, workflow: "rl_games", task: "Isaac-Cartpole-v0",
                               run: "r1", backend: .kit, videoDir: "/logs/rl_games/Isaac-Cartpole-v0/r1/videos/train",
                               clipsTotal: 3, clipsDone: 1, framesTotal: 300, framesDone: 140,
                               warnings: ["Active visualizer(s) ['viser'] do not support video capture; falling back to physics/renderer stack detection."],
                               submittedAt: 1_700_000_000.5,
                               clips: [ClipRecord(id: 3, file: "rl-video-step-0.mp4", firstStep: 0, frames: 100,
                                                  state: .done, attempts: 1, worker: "node7-4242-a1b2c3",
                                                  path: "/logs/rl_games/Isaac-Cartpole-v0/r1/videos/train/rl-video-step-0.mp4")])

    static let worker = WorkerRecord(id: "node7-4242-a1b2c3", host: "node7", pid: 4242, device: device,
                                     renderer: device.glRenderer, state: .rendering, job: "job-1", clip: 3,
                                     framesDone: 40, framesTotal: 100, fps: 57.5, rssBytes: 1 << 30,
                                     lastBeat: 1_700_000_001.25)
}
