import ArgumentParser
import FarmCLI
import FarmCore
import FarmSim
import FarmWire
import Foundation

/// `farmctl submit`: record a run's clips on the farm, with Isaac Lab's training-script flags.
struct SubmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit a recording job: the clips Isaac Lab's --video would write for a rollout.",
        discussion: """
            The coordinator resolves the backend (its errors are Isaac Lab's, verbatim), plans the clips with \
            the schedule over the rollout's env steps, and files them under its logs root in \
            <workflow>/<task>/<run>/videos/train. With --wait, a progress line goes to stderr and the exit \
            status is 0 only if every clip was written.
            """)

    @OptionGroup var coordinator: CoordinatorOptions

    @Option(help: "Gym task id, e.g. Isaac-Cartpole-v0.")
    var task: String

    @Option(name: .customLong("video_length"), help: "Length of each clip, in steps.")
    var videoLength: Int = 200

    @Option(name: .customLong("video_interval"), help: "Steps between clip starts.")
    var videoInterval: Int = 2000

    @Option(help: "Isaac Lab preset stack, e.g. newton_mjwarp,newton_renderer (may repeat).")
    var presets: [String] = []

    @Option(help: "Physics manager name, replacing what the presets imply.")
    var physics: String?

    @Option(name: .customLong("renderer"), help: "Sensor renderer type, replacing what the presets imply (may repeat).")
    var renderers: [String] = []

    @Option(name: .customLong("visualizer"), help: "Active visualizer: kit, newton, viser, rerun (may repeat).")
    var visualizers: [String] = []

    @Option(name: .customLong("backend-source"),
            help: "Where the backend comes from, as Isaac Lab's VideoRecorderCfg.backend_source.")
    var backendSource: BackendSource = .visualizer

    @Option(help: "RL library folder under the logs root: rl_games, rsl_rl, skrl, sb3 (default: the task config's).")
    var workflow: String?

    @Option(name: .customLong("run"), help: "Run folder name (default: now, as %Y-%m-%d_%H-%M-%S).")
    var runFolder: String?

    @Option(help: "Rollout file to render.")
    var rollout: String?

    @Option(help: "Generate the rollout with a built-in simulation instead: cartpole.")
    var builtin: RolloutCommand.Builtin?

    @Option(help: "Env steps to simulate (with --builtin).")
    var steps: Int?

    @Option(name: .customLong("num_envs"), help: "Parallel environments (with --builtin).")
    var numEnvs: Int?

    @Option(help: "Random seed (with --builtin).")
    var seed: UInt64 = 42

    @Option(help: "gymnasium (RecordVideo, rl-video-step-N.mp4) or isaaclab (clip_NNNN.mp4).")
    var schedule: ScheduleKind = .gymnasium

    @Option(name: .customLong("step-offset"), help: "isaaclab schedule: steps before the first clip.")
    var stepOffset: Int?

    @Option(name: .customLong("frame-stride"), help: "isaaclab schedule: one frame every N steps.")
    var frameStride: Int?

    @Option(help: "isaaclab schedule: playback fps (VideoRecorderCfg.fps); default render_fps, else round(1/step_dt), over the stride.")
    var fps: Int?

    @Option(name: .customLong("render-fps"), help: "isaaclab schedule: the env's metadata render_fps.")
    var renderFPS: Double?

    @Option(parsing: .unconditional, help: "Camera position x,y,z, overriding the task's viewer (a leading minus is a value, not a flag).")
    var eye: Vec3?

    @Option(parsing: .unconditional, help: "Camera target x,y,z, overriding the task's viewer.")
    var lookat: Vec3?

    @Option(help: "Frame width in pixels.")
    var width: Int?

    @Option(help: "Frame height in pixels.")
    var height: Int?

    @Option(help: ArgumentHelp("isaaclab schedule: a JSON file listing the job's streams (one per VideoRecorderCfg: prefix, output, camera origin, size, keep_last_n_clips, ...).",
                               valueName: "file"))
    var streams: String?

    @Option(name: .customLong("keep-last-n-clips"),
            help: "isaaclab schedule: keep only the newest N clips of each stream's prefix (VideoRecorderCfg.keep_last_n_clips).")
    var keepLastNClips: Int?

    @Option(help: "What the frames show: the lit scene or a camera sensor's image colourised as Isaac Lab 3's recorder does (every stream's default).")
    var output: ClipOutput.Kind?

    @Option(name: .customLong("depth-colormap-min"), help: "--output depth: metres mapped to turbo(0) (default 0.1, Isaac Lab's).")
    var depthColormapMin: Double?

    @Option(name: .customLong("depth-colormap-max"), help: "--output depth: metres mapped to turbo(1) (default 10, Isaac Lab's).")
    var depthColormapMax: Double?

    @Option(name: .customLong("idempotency-key"),
            help: "Names this submission: a SUBMIT with a key the coordinator has seen answers with that job instead of making another (default: a fresh UUID; the no-reply message names it, so the same command can be re-run safely).")
    var idempotencyKey: String?

    @Flag(help: "Wait for the job to finish, showing progress on stderr; exit non-zero unless it completes.")
    var wait = false

    @Flag(help: "Print the job record as JSON (its \"id\" names the job).")
    var json = false

    func validate() throws {
        if let key = idempotencyKey, let problem = SubmitJob.idempotencyKeyProblem(key) {
            throw ValidationError("--idempotency-key \(problem)")
        }
        if (rollout == nil) == (builtin == nil) {
            throw ValidationError("give either --rollout FILE or --builtin cartpole --steps N --num_envs N")
        }
        if builtin != nil, steps == nil || numEnvs == nil {
            throw ValidationError("--builtin needs --steps and --num_envs")
        }
        if let width, width <= 0 { throw ValidationError("--width must be positive, not \(width)") }
        if let height, height <= 0 { throw ValidationError("--height must be positive, not \(height)") }
        if let eye, !eye.isFinite { throw ValidationError("--eye \(eye) has a NaN or infinite coordinate") }
        if let lookat, !lookat.isFinite { throw ValidationError("--lookat \(lookat) has a NaN or infinite coordinate") }
        if let eye, eye == lookat { throw ValidationError("--eye and --lookat are both \(eye); the camera must look elsewhere") }
        if let keepLastNClips, keepLastNClips < 1 {
            throw ValidationError("--keep-last-n-clips must be at least 1, not \(keepLastNClips) (leave it out to keep every clip)")
        }
        if output != .depth, depthColormapMin != nil || depthColormapMax != nil {
            throw ValidationError("--depth-colormap-min/max apply to --output depth only")
        }
        if schedule != .isaaclab, streams != nil || keepLastNClips != nil {
            throw ValidationError("--streams and --keep-last-n-clips are Isaac Lab 3's recorder settings: add --schedule isaaclab")
        }
    }

    func run() throws {
        try reportingFailures {
            let configuration = try coordinator.config.load()
            let workflow = try self.workflow ?? configuration.tasks.config(forTask: task).workflow ?? {
                throw CommandFailure(message: "--workflow is needed: task '\(task)' names no default workflow in configs/tasks "
                    + "(one of \(Workflow.known.joined(separator: ", ")))")
            }()
            let runName: String
            do {
                runName = try runFolder ?? RunName.make().value
            } catch {
                throw CommandFailure(message: "\(error)")
            }
            let bytes = try rolloutBytes()
            let client = try coordinator.connect()
            var job = SubmitJob(
                workflow: workflow, task: task, run: runName, videoLength: videoLength, videoInterval: videoInterval,
                schedule: schedule.rawValue, stepOffset: stepOffset, frameStride: frameStride,
                backendInputs: BackendInputs(presets: splitList(presets), physics: physics,
                                             rendererTypes: splitList(renderers), visualizers: splitList(visualizers),
                                             backendSource: backendSource.rawValue),
                eye: eye, lookat: lookat, width: width, height: height, fps: fps, renderFps: renderFPS,
                streams: try streams.map(StreamsFile.load), keepLastNClips: keepLastNClips, output: output?.rawValue,
                depthColormapMin: depthColormapMin, depthColormapMax: depthColormapMax)
            let inline: Data?
            if bytes.count <= WireLimits.recommendedChunkBytes {
                inline = bytes
            } else {
                job.uploadId = try upload(bytes, client: client)
                inline = nil
            }
            // A retried SUBMIT (a lost reply) then finds this job instead of making a second one.
            job.idempotencyKey = idempotencyKey ?? UUID().uuidString.lowercased()
            guard let submitted = try client.submit(.submit(job, rollout: inline)).job else {
                throw CommandFailure(message: "the coordinator accepted the job but sent no job record")
            }
            if !json {
                print("job \(submitted.id) accepted: \(submitted.clipsTotal) clips, \(Self.describe(submitted)) → \(submitted.videoDir)")
                for warning in submitted.warnings { printError("warning: \(warning)") }
            }
            guard wait else {
                if json { WireOutput.print(try client.completeRecord(of: submitted.id, from: submitted)) }
                return
            }
            let final = try client.completeRecord(of: submitted.id, from: try JobWatch.wait(for: submitted.id, client: client))
            if json {
                WireOutput.print(final)
            } else {
                JobWatch.describe(final).forEach { print($0) }
            }
            let code = JobWatch.exitCode(final)
            if code != .success { throw code }
        }
    }

    /// `backend kit`, or per stream: `streams viewport (kit rgb), wrist (newton_gl depth)`.
    static func describe(_ job: JobRecord) -> String {
        guard let streams = job.streams, streams.count > 1 || streams.first?.prefix != nil else {
            return "backend \(job.backend.rawValue)"
        }
        return "streams " + streams.map { "\($0.prefix ?? "clip") (\($0.backend.rawValue) \($0.output))" }.joined(separator: ", ")
    }

    private func rolloutBytes() throws -> Data {
        if let rollout {
            guard let data = FileManager.default.contents(atPath: rollout) else {
                throw CommandFailure(message: "cannot read the rollout file \(rollout)")
            }
            return data
        }
        do {
            let cartpole = try CartpoleRollout(.init(steps: steps ?? 0, numEnvs: numEnvs ?? 0, seed: seed)).rollout()
            return try RolloutWriter.encode(header: cartpole.header, bodyQ: cartpole.rows.values, meshes: cartpole.meshData)
        } catch {
            throw CommandFailure(message: "built-in cartpole rollout: \(error)")
        }
    }

    /// Streams a large rollout in chunks; returns the upload id to submit.
    private func upload(_ bytes: Data, client: CoordinatorClient) throws -> String {
        guard let begun = try client.request(.uploadBegin(UploadBegin(totalBytes: bytes.count))).upload else {
            throw CommandFailure(message: "the coordinator sent no upload id")
        }
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + WireLimits.recommendedChunkBytes, bytes.count)
            _ = try client.request(.uploadChunk(UploadChunk(uploadId: begun.uploadId, offset: offset),
                                                bytes: bytes.subdata(in: offset..<end)))
            offset = end
        }
        return begun.uploadId
    }

}
