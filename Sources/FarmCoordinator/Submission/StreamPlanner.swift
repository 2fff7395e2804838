import FarmCore
import FarmWire
import Foundation

/// One stream of a submission made concrete: its request merged over the job's fields, then its
/// backend, camera (with origin), output, frame rate and clips decided. See `SubmissionPlanner`.
struct StreamPlanner {
    let planner: SubmissionPlanner
    let request: SubmitJob
    let rollout: RolloutHeader
    /// What the stream asks for (nil for a job without `streams`); the job's fields fill what it leaves out.
    let stream: StreamRequest?
    /// For messages: `stream 'wrist': ` when the job lists streams.
    var label: String { stream.map { "stream '\($0.prefix)': " } ?? "" }

    func fail(_ message: String) -> SubmissionError { SubmissionError(label + message) }

    /// The stream's backend, resolved as Isaac Lab's `_resolve_video_backend` does.
    func resolveBackend() throws(SubmissionError) -> (BackendInputs, BackendResolution) {
        let inputs = stream?.backendInputs ?? request.backendInputs
        do {
            return (inputs, try inputs.resolve(catalog: planner.configuration.presets))
        } catch {
            throw fail("\(error)")
        }
    }

    /// eye/lookat, origin and size (rule 3 of `SubmissionPlanner`).
    func camera(resolution: BackendResolution, warnings: inout [String]) throws(SubmissionError)
        -> (RecorderCamera, CameraAnchor) {
        var task = planner.configuration.tasks.config(forTask: request.task)
        var viewerOrigin: CameraOrigin?
        if let viewer = rollout.viewer {
            let origin = CameraOrigin(viewer: viewer)
            task.viewer = ViewerConfig(eye: viewer.eye, lookat: viewer.lookat, originType: origin.type)
            viewerOrigin = origin
        }
        let visualizerCamera = resolution.matchedVisualizer == nil ? nil : rollout.cameraTrack?.first
        var anchor = CameraAnchor.world
        if let requested = try requestedOrigin() {
            anchor = try resolve(requested)
            task.viewer.originType = .world
        } else if visualizerCamera == nil, let viewerOrigin, viewerOrigin.type != .world {
            do {
                anchor = try viewerOrigin.resolve(in: rollout)
                // eye/lookat are the viewer's offsets from the origin now followed.
                task.viewer.originType = .world
            } catch {
                warnings.append("\(label)the rollout's viewer measures eye/lookat from origin_type "
                    + "'\(viewerOrigin.type.rawValue)', which cannot be followed (\(error)); recording from the "
                    + "recorder's default world camera instead")
            }
        }
        let overrides = CameraOverrides(eye: stream?.eye ?? request.eye, lookat: stream?.lookat ?? request.lookat,
                                        width: stream?.width ?? request.width, height: stream?.height ?? request.height)
        do {
            return (try RecorderCamera.resolve(task: task, visualizerCamera: visualizerCamera, overrides: overrides),
                    anchor)
        } catch {
            throw fail("\(error)")
        }
    }

    /// The stream's explicit `origin_type` and its fields, if it states one.
    private func requestedOrigin() throws(SubmissionError) -> CameraOrigin? {
        guard let stream, let name = stream.originType else {
            if let stream, stream.envIndex != nil || stream.assetName != nil || stream.bodyName != nil
                || stream.bodyIndex != nil {
                throw fail("env_index, asset_name, body_name and body_index need origin_type")
            }
            return nil
        }
        guard let type = OriginType(rawValue: name) else {
            throw fail("origin_type '\(name)' is unknown; use one of "
                + OriginType.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if stream.bodyName != nil, stream.bodyIndex != nil {
            throw fail("give body_name or body_index, not both")
        }
        let body: CameraOrigin.Body? = stream.bodyName.map { .name($0) } ?? stream.bodyIndex.map { .index($0) }
        return CameraOrigin(type: type, envIndex: stream.envIndex ?? 0, assetName: stream.assetName, body: body)
    }

    private func resolve(_ origin: CameraOrigin) throws(SubmissionError) -> CameraAnchor {
        do {
            return try origin.resolve(in: rollout)
        } catch {
            throw fail("\(error)")
        }
    }

    /// The stream's output, else the job's, else `rgb`; a depth range only with `depth`.
    func output() throws(SubmissionError) -> ClipOutput {
        let name = stream?.output ?? request.output ?? ClipOutput.Kind.rgb.rawValue
        guard let kind = ClipOutput.Kind(rawValue: name) else {
            throw fail("output '\(name)' is unknown; use one of "
                + ClipOutput.Kind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if kind != .depth, stream?.depthColormapMin != nil || stream?.depthColormapMax != nil {
            throw fail("depth_colormap_min/max apply to the depth output only (output is \(name))")
        }
        if request.output != ClipOutput.Kind.depth.rawValue, request.depthColormapMin != nil || request.depthColormapMax != nil {
            throw SubmissionError("the job's depth_colormap_min/max apply with its output depth (output is "
                + "\(request.output ?? ClipOutput.Kind.rgb.rawValue)); give them to the depth streams")
        }
        // A depth stream takes the job's range unless it has its own.
        let depthMin = stream?.depthColormapMin ?? (kind == .depth ? request.depthColormapMin : nil)
        let depthMax = stream?.depthColormapMax ?? (kind == .depth ? request.depthColormapMax : nil)
        do {
            return try ClipOutput(kind: kind, depthMin: depthMin, depthMax: depthMax)
        } catch {
            throw fail("\(error)")
        }
    }

    /// `keep_last_n_clips`: at least 1 when given.
    func keepLastNClips() throws(SubmissionError) -> Int? {
        guard let keep = stream?.keepLastNClips ?? request.keepLastNClips else { return nil }
        guard keep >= 1 else { throw fail("keep_last_n_clips is \(keep); it must be at least 1 (leave it out to keep every clip)") }
        return keep
    }

    /// The stream's schedule knobs: its own, else the job's.
    func parameters(kind: ScheduleKind, existingFiles: [String]) -> ScheduleParameters {
        let prefix = stream?.prefix ?? IsaacLabSchedule.namePrefix
        return ScheduleParameters(
            totalSteps: rollout.stepRange.upperBound, videoLength: stream?.videoLength ?? request.videoLength,
            videoInterval: stream?.videoInterval ?? request.videoInterval,
            stepOffset: stream?.stepOffset ?? request.stepOffset ?? 0,
            frameStride: stream?.frameStride ?? request.frameStride ?? 1,
            firstClipIndex: kind == .isaaclab
                ? IsaacLabClipNaming.nextClipIndex(prefix: prefix, existingFileNames: existingFiles) : 0,
            namePrefix: prefix)
    }

    /// The stream's frame rate (rule 4 of `SubmissionPlanner`).
    func frameRate(kind: ScheduleKind, frameStride: Int, warnings: inout [String]) throws(SubmissionError) -> FrameRate {
        guard kind == .isaaclab else {
            if request.fps != nil || request.renderFps != nil {
                warnings.append("fps and render_fps apply to the isaaclab schedule only; the gymnasium schedule "
                    + "plays clips at 1/step_dt")
            }
            do { return try FrameRate(stepDT: rollout.stepDT) } catch { throw fail("\(error)") }
        }
        do {
            let fps = try IsaacLabFrameRate.resolve(fps: stream?.fps ?? request.fps, renderFPS: request.renderFps,
                                                    stepDT: rollout.stepDT, frameStride: frameStride)
            return FrameRate(numerator: fps, denominator: 1)
        } catch {
            throw fail("\(error)")
        }
    }
}
