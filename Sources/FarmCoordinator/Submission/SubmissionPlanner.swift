import FarmCore
import FarmWire
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A checked submission: the job's spec and its clips.
public struct PlannedSubmission: Sendable, Equatable {
    public var spec: JobSpec
    public var clips: [ClipPlan]
}

/// Turns a SUBMIT into a job, or refuses it with a message for the submitter:
/// 1. workflow, task and run must each be one safe folder name (nothing may leave the logs root);
/// 2. each stream's backend is resolved as Isaac Lab's `_resolve_video_backend` does (presets through
///    `configs/presets.yaml`; `physics` and `renderer_types`, when given, replace what the presets
///    imply, as `farmctl resolve` does); its errors go back verbatim;
/// 3. the camera: recorder default, then the task's viewer — the rollout's `viewer` when it has one,
///    else `configs/tasks` —, then the capturing visualizer's camera (the rollout's `camera_track` at
///    its first step), then explicit eye/lookat/width/height. eye and lookat are measured from an
///    origin: the stream's `origin_type` when it gives one; else the viewer's, followed when the
///    rollout names what it needs (the viewer's eye/lookat are then offsets from it, as Isaac Lab's
///    viewport camera and Kit visualizer track it); else the world;
/// 4. fps: for the `isaaclab` schedule as Isaac Lab 3's recorder resolves it (`IsaacLabFrameRate`:
///    `fps`, else `render_fps`, else `round(1/step_dt)`, over `frame_stride`); for `gymnasium` the
///    exact rational `1/step_dt` of the rollout;
/// 5. clips are planned with the stream's schedule over env steps `0..<first_step+steps` and kept
///    where they meet the rollout: a clip that starts before the rollout's first step is skipped (its
///    first frames are not in this rollout), a clip running past its last step is cut there, as
///    gymnasium flushes a partial clip when the env closes. Each adjustment is reported as a warning;
///    a plan with no clip left is refused. Only the clips starting inside the rollout are computed
///    (from the schedule's arithmetic), and their number and frames, over all streams, are checked
///    against `SubmissionLimits` before they are made. A job with `clip_file` has no schedule: it is
///    one clip of the rollout's first `video_length` steps, named `clip_file`.
/// 6. streams (`isaaclab` only): each `<prefix>_<index:04d>.mp4`, numbered on after the highest index
///    of that prefix in the video folder or claimed by an unfinished job there (Isaac Lab's
///    `_next_clip_index`, which the farm must also apply to clips not yet filed). A job's clips are
///    ordered by first frame, then stream, so its streams advance together.
/// 7. `clip_prefix`: one clip, as `clip_file` makes, named as rule 6 numbers a stream's next clip with
///    the submitter's `local_files` counted as present (Isaac Lab's recorder in the trainer cuts the
///    clip; the farm names it, rates it, and says which of the submitter's files it supersedes).
public struct SubmissionPlanner: Sendable {
    public let configuration: FarmConfiguration
    public let filer: ClipFiler
    public let limits: SubmissionLimits
    /// Streams one job may list.
    public static let maxStreams = 16
    /// A file name's longest (Linux's `NAME_MAX`).
    static let maxFileNameBytes = 255

    public init(configuration: FarmConfiguration, filer: ClipFiler, limits: SubmissionLimits = .standard) {
        self.configuration = configuration
        self.filer = filer
        self.limits = limits
    }

    /// `clip_file` may not take a name another unfinished job has planned in the folder (both would
    /// claim one file), nor replace a file the farm did not write unless asked to.
    private func checkFree(_ file: String, in layout: RunLayout, claimedFiles: [String], filedFiles: [String],
                           overwrite: Bool) throws(SubmissionError) {
        if claimedFiles.contains(file) {
            throw SubmissionError("clip_file \(file) is already planned by another unfinished job in \(layout.videoDirectory); "
                + "choose another name or wait for that job to finish")
        }
        let path = (layout.videoDirectory as NSString).appendingPathComponent(file)
        var info = stat()
        if !overwrite, lstat(path, &info) == 0, !filedFiles.contains(file) {
            throw SubmissionError("clip_file \(file) exists in \(layout.videoDirectory) and the farm did not write it; "
                + "submit with overwrite (SUBMIT's \"overwrite\": true) to replace it, or choose another name")
        }
    }

    /// Whether `plan` reads `claimedFiles` and `filedFiles` for `request`: numbered clips (the
    /// `isaaclab` schedule, `clip_prefix`: rules 6 and 7) and `clip_file`'s check; a `gymnasium`
    /// schedule's clip names come from its steps alone.
    public static func readsRunFileNames(_ request: SubmitJob) -> Bool {
        request.clipPrefix != nil || request.clipFile != nil || request.schedule == ScheduleKind.isaaclab.rawValue
    }

    /// - Parameter claimedFiles: clip file names in this run's video folder that unfinished jobs
    ///   will write, which numbering must continue after as if they were there.
    /// - Parameter filedFiles: names in this run's video folder the farm filed (its own state says so);
    ///   `clip_file` may replace those, but no other existing file unless the request says `overwrite`.
    public func plan(_ request: SubmitJob, rollout: RolloutHeader, claimedFiles: [String] = [],
                     filedFiles: [String] = []) throws(SubmissionError) -> PlannedSubmission {
        let layout: RunLayout
        do {
            layout = try filer.layout(workflow: request.workflow, task: request.task, run: request.run)
        } catch {
            throw SubmissionError("\(error)")
        }
        if let retries = request.maxRetries, !(0...limits.maxRetries).contains(retries) {
            throw SubmissionError("max_retries is \(retries); it must be 0...\(limits.maxRetries)")
        }
        let schedule = request.schedule ?? ScheduleKind.gymnasium.rawValue
        if request.localFiles != nil, request.clipPrefix == nil {
            throw SubmissionError("local_files applies with clip_prefix only (leave it out)")
        }
        if let prefix = request.clipPrefix {
            return try planNumberedClip(prefix, request: request, rollout: rollout, layout: layout,
                                        claimedFiles: claimedFiles, filedFiles: filedFiles)
        }
        if let clipFile = request.clipFile {
            if request.streams != nil {
                throw SubmissionError("clip_file names a single clip; streams cannot apply to it (leave it out)")
            }
            let clip = try singleClip(clipFile, request: request, rollout: rollout, numbered: false)
            try checkFree(clipFile, in: layout, claimedFiles: claimedFiles, filedFiles: filedFiles,
                          overwrite: request.overwrite == true)
            var warnings: [String] = []
            var stream = try streamSpec(StreamPlanner(planner: self, request: request, rollout: rollout, stream: nil),
                                        kind: .gymnasium, frameStride: 1, warnings: &warnings)
            if stream.keepLastNClips != nil {
                // A recorder that numbers its own clips (Isaac Lab 3's, trainer-side) keeps its last N too.
                guard let prefix = Self.numberedPrefix(clipFile) else {
                    throw SubmissionError("keep_last_n_clips needs clip_file named <prefix>_<index>.mp4, as Isaac Lab 3's "
                        + "recorder names clips; '\(clipFile)' is not")
                }
                stream.prefix = prefix
            }
            return PlannedSubmission(spec: spec(request, layout: layout, schedule: schedule, streams: [stream],
                                                warnings: warnings),
                                     clips: [clip])
        }
        guard let kind = ScheduleKind(rawValue: schedule) else {
            throw SubmissionError("schedule '\(schedule)' is unknown; use \(ScheduleKind.allCases.map(\.rawValue).joined(separator: " or "))")
        }
        let requests = try streamRequests(request, kind: kind)
        let existing = ((try? FileManager.default.contentsOfDirectory(atPath: layout.videoDirectory)) ?? []) + claimedFiles
        var streams: [StreamSpec] = []
        var clips: [ClipPlan] = []
        var warnings: [String] = []
        var frames = 0
        for (index, stream) in requests.enumerated() {
            let planner = StreamPlanner(planner: self, request: request, rollout: rollout, stream: stream)
            let parameters = planner.parameters(kind: kind, existingFiles: existing)
            streams.append(try streamSpec(planner, kind: kind, frameStride: parameters.frameStride, warnings: &warnings))
            let window: ScheduleWindow
            do {
                window = try kind.plan(parameters, firstFramesIn: rollout.stepRange, maxClips: limits.maxClipsPerJob - clips.count)
            } catch {
                throw planner.fail("\(error)")
            }
            let (planned, planWarnings) = try fit(window, to: rollout.stepRange, stream: index, framesBefore: &frames)
            warnings += planWarnings.map { planner.label + $0 }
            guard !planned.isEmpty else {
                throw planner.fail("the \(kind.rawValue) schedule (video_length \(parameters.videoLength), video_interval "
                    + "\(parameters.videoInterval)) puts no clip inside the rollout's env steps "
                    + "\(rollout.stepRange.lowerBound)..<\(rollout.stepRange.upperBound)")
            }
            clips += planned
        }
        // Stable: equal first steps keep stream order.
        let ordered = clips.enumerated().sorted { ($0.element.firstStep, $0.offset) < ($1.element.firstStep, $1.offset) }
        return PlannedSubmission(spec: spec(request, layout: layout, schedule: kind.rawValue, streams: streams,
                                            warnings: warnings),
                                 clips: ordered.map(\.element))
    }

    /// A `clip_prefix` job (rule 7): its one clip named on after the highest index of the prefix in the
    /// video folder, claimed by an unfinished job there, or in the submitter's `local_files`; played at
    /// Isaac Lab's rate; with `keep_last_n_clips`, the `local_files` it supersedes recorded for the
    /// submitter to prune.
    private func planNumberedClip(_ prefix: String, request: SubmitJob, rollout: RolloutHeader, layout: RunLayout,
                                  claimedFiles: [String], filedFiles: [String]) throws(SubmissionError) -> PlannedSubmission {
        if request.clipFile != nil {
            throw SubmissionError("clip_prefix and clip_file both name the one clip; give one of them")
        }
        if request.streams != nil {
            throw SubmissionError("clip_prefix names a single clip; streams cannot apply to it (leave it out)")
        }
        if request.overwrite != nil {
            throw SubmissionError("overwrite applies to clip_file; a clip_prefix clip always takes a new name (leave it out)")
        }
        guard !prefix.isEmpty, (try? PathComponent(IsaacLabClipNaming.fileName(prefix: prefix, index: 0), field: .file)) != nil else {
            throw SubmissionError("clip_prefix '\(prefix)' cannot name clip files <prefix>_<index>.mp4 (one safe file "
                + "name stem, not empty)")
        }
        if let stride = request.frameStride, stride < 1 {
            throw SubmissionError("frame_stride is \(stride); it must be at least 1")
        }
        let localFiles = request.localFiles ?? []
        guard localFiles.count <= SubmitJob.maxLocalFiles else {
            throw SubmissionError("local_files lists \(localFiles.count) names; at most \(SubmitJob.maxLocalFiles) "
                + "(a folder that full should use keep_last_n_clips)")
        }
        if let long = localFiles.firstIndex(where: { $0.utf8.count > Self.maxFileNameBytes }) {
            throw SubmissionError("local_files[\(long)] is \(localFiles[long].utf8.count) bytes; a file name is at most "
                + "\(Self.maxFileNameBytes)")
        }
        let folder = (try? FileManager.default.contentsOfDirectory(atPath: layout.videoDirectory)) ?? []
        let index = IsaacLabClipNaming.nextClipIndex(prefix: prefix, existingFileNames: folder + claimedFiles + localFiles)
        let file = IsaacLabClipNaming.fileName(prefix: prefix, index: index)
        let clip = try singleClip(file, request: request, rollout: rollout, numbered: true)
        try checkFree(file, in: layout, claimedFiles: claimedFiles, filedFiles: filedFiles, overwrite: false)
        var warnings: [String] = []
        var stream = try streamSpec(StreamPlanner(planner: self, request: request, rollout: rollout, stream: nil),
                                    kind: .isaaclab, frameStride: request.frameStride ?? 1, warnings: &warnings)
        stream.prefix = prefix
        var spec = spec(request, layout: layout, schedule: ScheduleKind.isaaclab.rawValue, streams: [stream],
                        warnings: warnings)
        if let keep = stream.keepLastNClips {
            // The submitter's folder also gets the farm's clips of this run, filed or still to come.
            spec.supersedes = Array(KeepLastClips(prefix: prefix, count: keep)
                .superseded(existingFileNames: Set(localFiles + folder + claimedFiles + [file]))
                .prefix(SubmitJob.maxSupersedes))
        }
        return PlannedSubmission(spec: spec, clips: [clip])
    }

    /// `viewport` for `viewport_0012.mp4`: the prefix of an Isaac Lab 3 clip name, nil for other names.
    static func numberedPrefix(_ file: String) -> String? {
        guard let separator = file.lastIndex(of: "_") else { return nil }
        let prefix = String(file[..<separator])
        guard !prefix.isEmpty, IsaacLabClipNaming.clipIndex(ofFileName: file, prefix: prefix) != nil else { return nil }
        return prefix
    }

    /// The listed streams, checked, or nil for the job's one implicit stream.
    private func streamRequests(_ request: SubmitJob, kind: ScheduleKind) throws(SubmissionError) -> [StreamRequest?] {
        if request.keepLastNClips != nil, kind != .isaaclab {
            throw SubmissionError("keep_last_n_clips applies to the isaaclab schedule's numbered clips; "
                + "the \(kind.rawValue) schedule keeps every clip")
        }
        guard let streams = request.streams else { return [nil] }
        guard kind == .isaaclab else {
            throw SubmissionError("streams are Isaac Lab 3's (one per VideoRecorderCfg); use schedule isaaclab")
        }
        guard (1...Self.maxStreams).contains(streams.count) else {
            throw SubmissionError("streams lists \(streams.count); a job may list 1...\(Self.maxStreams)")
        }
        var seen: Set<String> = []
        for (index, stream) in streams.enumerated() {
            do {
                _ = try PathComponent(IsaacLabClipNaming.fileName(prefix: stream.prefix, index: 0), field: .file)
            } catch {
                throw SubmissionError("streams[\(index)].prefix '\(stream.prefix)' cannot name clip files: \(error)")
            }
            guard !stream.prefix.isEmpty, seen.insert(stream.prefix).inserted else {
                throw SubmissionError("streams[\(index)].prefix '\(stream.prefix)' is "
                    + (stream.prefix.isEmpty ? "empty" : "used by an earlier stream") + "; each stream needs its own prefix")
            }
        }
        return streams
    }

    private func streamSpec(_ planner: StreamPlanner, kind: ScheduleKind, frameStride: Int,
                            warnings: inout [String]) throws(SubmissionError) -> StreamSpec {
        let (inputs, resolution) = try planner.resolveBackend()
        warnings += resolution.warnings.map { planner.label + $0 }
        let (camera, anchor) = try planner.camera(resolution: resolution, warnings: &warnings)
        return StreamSpec(
            prefix: planner.stream?.prefix, backendInputs: inputs, backend: resolution.backend,
            matchedVisualizer: resolution.matchedVisualizer?.rawValue, camera: camera.view, anchor: anchor,
            followsCameraTrack: resolution.cameraSync == .livePerFrame && planner.rollout.cameraTrack != nil,
            output: try planner.output(), width: camera.frameSize.width, height: camera.frameSize.height,
            frameRate: try planner.frameRate(kind: kind, frameStride: frameStride, warnings: &warnings),
            keepLastNClips: try planner.keepLastNClips())
    }

    private func spec(_ request: SubmitJob, layout: RunLayout, schedule: String, streams: [StreamSpec],
                      warnings: [String]) -> JobSpec {
        JobSpec(workflow: layout.workflow.value, task: layout.task.value, run: layout.run.value, schedule: schedule,
                videoLength: request.videoLength, videoInterval: request.videoInterval, streams: streams,
                warnings: warnings, maxRetries: request.maxRetries)
    }

    /// The one clip of a `clip_file` job, or of a `clip_prefix` job (`numbered`). Schedule fields other
    /// than `video_length` have no meaning there and are refused rather than silently ignored
    /// (`video_interval` is required by SUBMIT and not read), except that a numbered clip is Isaac Lab's
    /// (schedule `isaaclab`) and its `frame_stride` sets its rate.
    func singleClip(_ file: String, request: SubmitJob, rollout: RolloutHeader,
                    numbered: Bool) throws(SubmissionError) -> ClipPlan {
        let field = numbered ? "clip_prefix" : "clip_file"
        let ownSchedule = numbered ? ScheduleKind.isaaclab : ScheduleKind.gymnasium
        do {
            _ = try PathComponent(file, field: .file)
        } catch {
            throw SubmissionError("clip_file: \(error)")
        }
        guard file.hasSuffix(".mp4"), file.count > 4 else {
            throw SubmissionError("clip_file '\(file)' must be a file name ending in .mp4")
        }
        if let schedule = request.schedule, schedule != ownSchedule.rawValue {
            throw SubmissionError("\(field) names a single clip; schedule '\(schedule)' cannot apply to it (leave schedule out)")
        }
        for (name, value) in [("step_offset", request.stepOffset), ("frame_stride", numbered ? nil : request.frameStride)] {
            if let value {
                throw SubmissionError("\(field) names a single clip; \(name) \(value) cannot apply to it (leave it out)")
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

    /// Cuts the window's clips to the rollout's steps (see the type's rule 5), counting each clip's
    /// frames before it is made.
    func fit(_ window: ScheduleWindow, to available: Range<Int>, stream: Int = 0,
             framesBefore totalFrames: inout Int) throws(SubmissionError) -> ([ClipPlan], [String]) {
        var warnings: [String] = []
        if let before = window.preceding {
            let steps = before.envStepIndices
            if steps.first < available.lowerBound, steps.last ?? steps.first >= available.lowerBound {
                warnings.append("\(before.file) starts at env step \(steps.first), before the rollout's first step "
                    + "\(available.lowerBound); it is not recorded")
            }
        }
        var clips: [ClipPlan] = []
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
            clips.append(ClipPlan(file: clip.file, steps: Array(steps.prefix(kept)), stream: stream))
        }
        return (clips, warnings)
    }

    private func ceilingDivision(_ a: Int, _ b: Int) -> Int { a / b + (a % b == 0 ? 0 : 1) }
}
