import FarmWire
import Foundation

/// FETCH_CLIP: a done clip's bytes, read from where it was filed, one chunk per request.
extension ClientDesk {
    func clipChunk(_ fetch: FetchClip, clientKey: String?) throws -> ClientReply {
        let command = Command.fetchClip.rawValue
        guard let id = JobID(fetch.jobId), let job = try store.job(id) else {
            return notFound(fetch.jobId, command: .fetchClip)
        }
        if let refusal = try ownership.refusal(workflow: job.spec.workflow, task: job.spec.task, run: job.spec.run,
                                               clientKey: clientKey, action: "fetch clips from") {
            return .error(ErrorReply(code: .forbidden, message: refusal, command: command))
        }
        guard let clip = try store.clips(of: id).first(where: { $0.key.index == fetch.clipId }) else {
            return .error(ErrorReply(code: .notFound, message: "job \(fetch.jobId) has no clip \(fetch.clipId) "
                + "(see the clip ids in farmctl status \(fetch.jobId))", command: command))
        }
        if clip.state == .done, let removed = clip.removed {
            return .error(ErrorReply(code: .notFound, message: "clip \(fetch.clipId) (\(clip.plan.file)) of job "
                + "\(fetch.jobId) is not in the video folder: \(removed)", command: command))
        }
        guard clip.state == .done, let path = clip.path else {
            let state = clip.state.rawValue
            return .error(ErrorReply(code: .notReady, message: "clip \(fetch.clipId) (\(clip.plan.file)) of job "
                + "\(fetch.jobId) is \(state), not done; fetch it once farmctl status shows it done", command: command))
        }
        let offset = fetch.offset ?? 0
        let file: ContainedFile
        let bytes: Data
        do {
            // No link followed and no FIFO opened: a filed clip replaced by either is refused.
            file = try ContainedFile(path, under: config.logsRoot)
            guard offset <= file.size else {
                return .error(ErrorReply(code: .badRequest, message: "clip \(fetch.clipId) of job \(fetch.jobId): offset "
                    + "\(offset) is past the file's end (\(file.size) bytes)", command: command))
            }
            bytes = try file.read(offset: offset, count: fetch.chunkBytes)
        } catch {
            let code: ErrorCode = switch error {
            case .missing: .notFound
            case .system: .internal
            case .outsideRoot, .notADirectory, .notARegularFile: .forbidden
            }
            return .error(ErrorReply(code: code, message: "clip \(fetch.clipId) of job \(fetch.jobId): \(error)", command: command))
        }
        return .ok(OkReply(clipChunk: ClipChunk(jobId: fetch.jobId, clipId: fetch.clipId, file: clip.plan.file,
                                                offset: offset, bytes: bytes.count, totalBytes: file.size),
                           clipBytes: bytes))
    }
}
