import FarmCore
import FarmWire

/// The coordinator's records as the protocol reports them to clients (`FarmWire` record types).
enum Reports {
    /// Which of a job's clips a record lists: none (the job list), or a page of them (STATUS of one
    /// job: those after `after`, at most `StatusQuery.clipsPerPage`).
    enum ClipListing: Equatable {
        case none
        case page(after: Int?)

        static let first = ClipListing.page(after: nil)

        /// The first clip index the page lists; nil when no page is listed.
        var pageStart: Int? {
            guard case .page(let after) = self else { return nil }
            return max(0, (after ?? -1) + 1)
        }
    }

    /// `tally`: the job's clips counted; `clip`: one of them by index (0..<tally.total). The record
    /// costs its counts and a page of clips, however many the job has.
    static func job(_ job: TrackedJob, tally: ClipTally, clip: (Int) -> TrackedClip?, workers: [WorkerID: TrackedWorker],
                    logsRoot: String, listing: ClipListing) -> JobRecord {
        let spec = job.spec
        let videoDir = (try? RunLayout(logsRoot: logsRoot, workflow: spec.workflow, task: spec.task, run: spec.run))?
            .videoDirectory ?? ""
        let rendering = tally.dispatched.compactMap(clip).reduce(0) { sum, dispatched in
            sum + (dispatched.worker.flatMap { workers[$0]?.progress?.framesDone } ?? 0)
        }
        let error = tally.failed.min().flatMap(clip).map { first in
            "\(tally.failed.count) of \(tally.total) clips failed; first: \(first.plan.file): \(first.error ?? "no message")"
        }
        var page: [TrackedClip]?
        var nextClipsAfter: Int?
        if let start = listing.pageStart {
            let end = max(start, min(tally.total, start + StatusQuery.clipsPerPage))
            page = (start..<end).compactMap(clip)
            if end < tally.total { nextClipsAfter = page?.last?.key.index }
        }
        return JobRecord(
            id: String(job.id), state: job.state,
            workflow: spec.workflow, task: spec.task, run: spec.run, backend: spec.primary.backend, videoDir: videoDir,
            clipsTotal: tally.total, clipsDone: tally.count(.done), clipsFailed: tally.failed.count,
            framesTotal: tally.frames, framesDone: tally.framesDone + rendering,
            warnings: spec.warnings, error: error, submittedAt: job.submittedAt, finishedAt: job.finishedAt,
            clips: page?.map(Self.clip), streams: spec.streams.map(stream), supersedes: spec.supersedes,
            nextClipsAfter: nextClipsAfter)
    }

    static func stream(_ stream: StreamSpec) -> StreamRecord {
        let origin = switch stream.anchor {
        case .world: "world"
        case .point: "env"
        case .body: "body"
        }
        return StreamRecord(prefix: stream.prefix, backend: stream.backend, output: stream.output.kind.rawValue,
                            width: stream.width, height: stream.height, fps: stream.frameRate, origin: origin,
                            keepLastNClips: stream.keepLastNClips)
    }

    static func clip(_ clip: TrackedClip) -> ClipRecord {
        ClipRecord(id: clip.key.index, file: clip.plan.file, firstStep: clip.plan.firstStep,
                            frames: clip.plan.frames, state: clip.state, attempts: clip.attempts,
                            worker: clip.worker, path: clip.path, error: clip.error, stream: clip.plan.stream,
                            removed: clip.removed)
    }


    static func worker(_ worker: TrackedWorker, ready: Ready?) -> WorkerRecord {
        let device = ready?.device ?? worker.info.deviceInfo
            ?? DeviceInfo(eglIndex: nil, kind: "unknown", glVendor: "", glRenderer: worker.info.renderer)
        return WorkerRecord(
            id: worker.id, host: worker.info.host, pid: worker.info.pid, device: device, renderer: device.glRenderer,
            state: worker.state.phase, job: worker.clip.map { String($0.job) }, clip: worker.clip?.index,
            framesDone: worker.progress?.framesDone ?? 0, framesTotal: worker.progress?.framesTotal ?? 0,
            fps: worker.progress?.fps ?? 0, rssBytes: worker.rssBytes ?? 0, lastBeat: worker.lastHeard)
    }

    static func info(_ ready: Ready) -> WorkerInfo {
        WorkerInfo(host: ready.host, pid: ready.pid, device: ready.device.summary, renderer: ready.device.glRenderer,
                   backends: ready.backends.map(\.rawValue), version: ready.version, deviceInfo: ready.device,
                   features: ready.features ?? [])
    }

    /// A READY-shaped description of a worker known only from the store (restored after a restart).
    static func ready(for worker: TrackedWorker) -> Ready {
        Ready(workerId: worker.id, host: worker.info.host, pid: worker.info.pid,
              device: worker.info.deviceInfo
                ?? DeviceInfo(eglIndex: nil, kind: "unknown", glVendor: "", glRenderer: worker.info.renderer),
              backends: worker.info.backends.compactMap(VideoBackend.init(rawValue:)), encoders: [],
              version: worker.info.version, features: worker.info.features)
    }
}

