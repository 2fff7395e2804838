import FarmCore
import FarmWire
import Foundation

/// A checked submission: the job's spec and its clips.
public struct PlannedSubmission: Sendable, Equatable {
    public var spec: JobSpec
    public var clips: [ClipPlan]
}

/// Turns a SUBMIT into a job, or refuses it with a message for the submitter:
/// 1. workflow, task and run must each be one safe folder name (nothing may leave the logs root);
/// 2. the backend is resolved as Isaac Lab's `_resolve_video_backend` does (presets through
///    `configs/presets.yaml`; `physics` and `renderer_types`, when given, replace what the presets
///    imply, as `farmctl resolve` does); its errors go back verbatim;
/// 3. the camera: recorder default, then the task's viewer — the rollout's `viewer` when it has one,
///    else `configs/tasks` — for `origin_type: world`, then the capturing visualizer's camera (the
///    rollout's `camera_track` at its first step), then explicit eye/lookat/width/height;
/// 4. fps: for the `isaaclab` schedule as Isaac Lab 3's recorder resolves it (`IsaacLabFrameRate`:
///    `fps`, else `render_fps`, else `round(1/step_dt)`, over `frame_stride`); for `gymnasium` the
///    exact rational `1/step_dt` of the rollout;
/// 5. clips are planned with the job's schedule over env steps `0..<first_step+steps` and kept where
///    they meet the rollout: a clip that starts before the rollout's first step is skipped (its first
///    frames are not in this rollout), a clip running past its last step is cut there, as gymnasium
///    flushes a partial clip when the env closes. Each adjustment is reported as a warning; a plan
///    with no clip left is refused. Only the clips starting inside the rollout are computed (from the
///    schedule's arithmetic), and their number and frames are checked against `SubmissionLimits`
///    before they are made. A job with `clip_file` has no schedule: it is one clip of the rollout's
///    first `video_length` steps, named `clip_file`.
public struct SubmissionPlanner: Sendable {
    public let configuration: FarmConfiguration
    public let filer: ClipFiler
    public let limits: SubmissionLimits

    public init(configuration: FarmConfiguration, filer: ClipFiler, limits: SubmissionLimits = .standard) {
        self.configuration = configuration
        self.filer = filer
        self.limits = limits
    }

    public func plan(_ request: SubmitJob, rollout: RolloutHeader) throws(SubmissionError) -> PlannedSubmission {
        let layout: RunLayout
        do {
            layout = try filer.layout(workflow: request.workflow, task: request.task, run: request.run)
        } catch {
            throw SubmissionError("\(error)")
        }
        if let retries = request.maxRetries, !(0...limits.maxRetries).contains(retries) {
            throw SubmissionError("max_retries is \(retries); it must be 0...\(limits.maxRetries)")
        }
        let inputs = request.backendInputs
        let resolution = try resolveBackend(inputs)
        var warnings = resolution.warnings

        var task = configuration.tasks.config(forTask: request.task)
        if let viewer = rollout.viewer {
            task.viewer = ViewerConfig(eye: viewer.eye, lookat: viewer.lookat,
                                       originType: OriginType(rawValue: viewer.originType) ?? .world)
        }
        let visualizerCamera = resolution.matchedVisualizer == nil ? nil : rollout.cameraTrack?.first
        let camera: RecorderCamera
        do {
            camera = try RecorderCamera.resolve(
                task: task, visualizerCamera: visualizerCamera,
                overrides: CameraOverrides(eye: request.eye, lookat: request.lookat, width: request.width,
                                           height: request.height))
        } catch {
            throw SubmissionError("\(error)")
        }

        let schedule = request.schedule ?? ScheduleKind.gymnasium.rawValue
        if let clipFile = request.clipFile {
            let clip = try singleClip(clipFile, request: request, rollout: rollout)
            let frameRate = try Self.frameRate(request, schedule: .gymnasium, stepDT: rollout.stepDT, warnings: &warnings)
            return PlannedSubmission(spec: spec(request, layout: layout, schedule: schedule, resolution: resolution,
                                                rollout: rollout, camera: camera, frameRate: frameRate,
                                                warnings: warnings),
                                     clips: [clip])
        }
        guard let kind = ScheduleKind(rawValue: schedule) else {
            throw SubmissionError("schedule '\(schedule)' is unknown; use \(ScheduleKind.allCases.map(\.rawValue).joined(separator: " or "))")
        }
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: layout.videoDirectory)) ?? []
        let parameters = ScheduleParameters(
            totalSteps: rollout.stepRange.upperBound, videoLength: request.videoLength,
            videoInterval: request.videoInterval, stepOffset: request.stepOffset ?? 0,
            frameStride: request.frameStride ?? 1,
            firstClipIndex: kind == .isaaclab ? IsaacLabClipNaming.nextClipIndex(existingFileNames: existing) : 0)
        let window: ScheduleWindow
        do {
            window = try kind.plan(parameters, firstFramesIn: rollout.stepRange, maxClips: limits.maxClipsPerJob)
        } catch {
            throw SubmissionError("\(error)")
        }
        let frameRate = try Self.frameRate(request, schedule: kind, stepDT: rollout.stepDT, warnings: &warnings)
        let (clips, planWarnings) = try fit(window, to: rollout.stepRange)
        warnings += planWarnings
        guard !clips.isEmpty else {
            throw SubmissionError("the \(kind.rawValue) schedule (video_length \(request.videoLength), video_interval "
                + "\(request.videoInterval)) puts no clip inside the rollout's env steps "
                + "\(rollout.stepRange.lowerBound)..<\(rollout.stepRange.upperBound)")
        }

        return PlannedSubmission(spec: spec(request, layout: layout, schedule: kind.rawValue, resolution: resolution,
                                            rollout: rollout, camera: camera, frameRate: frameRate, warnings: warnings),
                                 clips: clips)
    }

    private func spec(_ request: SubmitJob, layout: RunLayout, schedule: String, resolution: BackendResolution,
                      rollout: RolloutHeader, camera: RecorderCamera, frameRate: FrameRate,
                      warnings: [String]) -> JobSpec {
        JobSpec(
            workflow: layout.workflow.value, task: layout.task.value, run: layout.run.value, schedule: schedule,
            videoLength: request.videoLength, videoInterval: request.videoInterval, backendInputs: request.backendInputs,
            backend: resolution.backend, matchedVisualizer: resolution.matchedVisualizer?.rawValue,
            camera: camera.view,
            followsCameraTrack: resolution.cameraSync == .livePerFrame && rollout.cameraTrack != nil,
            width: camera.frameSize.width, height: camera.frameSize.height,
            frameRate: frameRate, warnings: warnings, maxRetries: request.maxRetries)
    }

    /// The one clip of a `clip_file` job. Schedule fields other than `video_length` have no meaning
    /// there and are refused rather than silently ignored (`video_interval` is required by SUBMIT and
    /// not read).
    func singleClip(_ file: String, request: SubmitJob, rollout: RolloutHeader) throws(SubmissionError) -> ClipPlan {
        do {
            _ = try PathComponent(file, field: .file)
        } catch {
            throw SubmissionError("clip_file: \(error)")
        }
        guard file.hasSuffix(".mp4"), file.count > 4 else {
            throw SubmissionError("clip_file '\(file)' must be a file name ending in .mp4")
        }
        if let schedule = request.schedule, schedule != ScheduleKind.gymnasium.rawValue {
            throw SubmissionError("clip_file names a single clip; schedule '\(schedule)' cannot apply to it (leave schedule out)")
        }
        for (field, value) in [("step_offset", request.stepOffset), ("frame_stride", request.frameStride)] {
            if let value {
                throw SubmissionError("clip_file names a single clip; \(field) \(value) cannot apply to it (leave it out)")
            }
        }
        guard request.videoLength >= 1 else {
            throw SubmissionError("video_length is \(request.videoLength); it must be at least 1")
        }
        let steps = Array(rollout.stepRange.prefix(request.videoLength))
        guard steps.count <= limits.maxFramesPerClip else {
            throw SubmissionError("clip_file \(file) would hold \(steps.count) frames, more than "
                + "\(limits.maxFramesPerClip) (lower video_length)")
        }
        return ClipPlan(file: file, steps: steps)
    }

    private func resolveBackend(_ inputs: BackendInputs) throws(SubmissionError) -> BackendResolution {
        do {
            return try inputs.resolve(catalog: configuration.presets)
        } catch {
            throw SubmissionError("\(error)")
        }
    }

    /// The clip fps of the type's rule 4; `fps`/`render_fps` on a gymnasium job are reported and ignored.
    static func frameRate(_ request: SubmitJob, schedule: ScheduleKind, stepDT: Double,
                          warnings: inout [String]) throws(SubmissionError) -> FrameRate {
        guard schedule == .isaaclab else {
            if request.fps != nil || request.renderFps != nil {
                warnings.append("fps and render_fps apply to the isaaclab schedule only; the gymnasium schedule "
                    + "plays clips at 1/step_dt")
            }
            return FrameRate(stepDT: stepDT)
        }
        do {
            let fps = try IsaacLabFrameRate.resolve(fps: request.fps, renderFPS: request.renderFps, stepDT: stepDT,
                                                    frameStride: request.frameStride ?? 1)
            return FrameRate(numerator: fps, denominator: 1)
        } catch {
            throw SubmissionError("\(error)")
        }
    }

    /// Cuts the window's clips to the rollout's steps (see the type's rule 5), counting each clip's
    /// frames before it is made.
    func fit(_ window: ScheduleWindow, to available: Range<Int>) throws(SubmissionError) -> ([ClipPlan], [String]) {
        var warnings: [String] = []
        if let before = window.preceding {
            let steps = before.envStepIndices
            if steps.first < available.lowerBound, steps.last ?? steps.first >= available.lowerBound {
                warnings.append("\(before.file) starts at env step \(steps.first), before the rollout's first step "
                    + "\(available.lowerBound); it is not recorded")
            }
        }
        var clips: [ClipPlan] = []
        var totalFrames = 0
        for clip in window.clips {
            let steps = clip.envStepIndices
            let kept = min(steps.count, ceilingDivision(available.upperBound - steps.first, steps.stride))
            guard kept <= limits.maxFramesPerClip else {
                throw SubmissionError("\(clip.file) would hold \(kept) frames; a clip may hold at most "
                    + "\(limits.maxFramesPerClip) (lower video_length or video_interval)")
            }
            totalFrames += kept
            guard totalFrames <= limits.maxFramesPerJob else {
                throw SubmissionError("the job's clips would hold more than \(limits.maxFramesPerJob) frames in all; "
                    + "a job may hold at most that many (raise video_interval, lower video_length or submit a "
                    + "shorter rollout)")
            }
            if kept < steps.count {
                warnings.append("\(clip.file) is cut to \(kept) of \(steps.count) frames: the rollout ends "
                    + "at env step \(available.upperBound - 1)")
            }
            clips.append(ClipPlan(file: clip.file, steps: Array(steps.prefix(kept))))
        }
        return (clips, warnings)
    }

    private func ceilingDivision(_ a: Int, _ b: Int) -> Int { a / b + (a % b == 0 ? 0 : 1) }
}
