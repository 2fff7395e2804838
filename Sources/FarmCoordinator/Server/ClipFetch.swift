import FarmWire
import Foundation

/// FETCH_CLIP: a done clip's bytes, read from where it was filed, one chunk per request.
extension Coordinator {
    func clipChunk(_ fetch: FetchClip) throws -> ClientReply {
        let command = Command.fetchClip.rawValue
        guard let id = JobID(fetch.jobId), try scheduler.store.job(id) != nil else {
            return notFound(fetch.jobId, command: .fetchClip)
        }
        guard let clip = try scheduler.store.clips(of: id).first(where: { $0.key.index == fetch.clipId }) else {
            return .error(ErrorReply(code: .notFound, message: "job \(fetch.jobId) has no clip \(fetch.clipId) "
                + "(see the clip ids in farmctl status \(fetch.jobId))", command: command))
        }
        if clip.state == .done, let removed = clip.removed {
            return .error(ErrorReply(code: .notFound, message: "clip \(fetch.clipId) (\(clip.plan.file)) of job "
                + "\(fetch.jobId) is not in the video folder: \(removed)", command: command))
        }
        guard clip.state == .done, let path = clip.path else {
            let state = clip.state.wire.rawValue
            return .error(ErrorReply(code: .notReady, message: "clip \(fetch.clipId) (\(clip.plan.file)) of job "
                + "\(fetch.jobId) is \(state), not done; fetch it once farmctl status shows it done", command: command))
        }
        let offset = fetch.offset ?? 0
        let chunk: (total: Int, bytes: Data)
        do {
            chunk = try Self.read(path: path, offset: offset, count: fetch.chunkBytes)
        } catch let error as ClipReadError {
            return .error(ErrorReply(code: error.code, message: "clip \(fetch.clipId) of job \(fetch.jobId): \(error.message)",
                                     command: command))
        }
        return .ok(OkReply(clipChunk: ClipChunk(jobId: fetch.jobId, clipId: fetch.clipId, file: clip.plan.file,
                                                offset: offset, bytes: chunk.bytes.count, totalBytes: chunk.total),
                           clipBytes: chunk.bytes))
    }

    private struct ClipReadError: Error {
        let code: ErrorCode
        let message: String
    }

    /// The file's size and up to `count` bytes from `offset`.
    private static func read(path: String, offset: Int, count: Int) throws -> (total: Int, bytes: Data) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ClipReadError(code: .notFound, message: "its file \(path) is gone from the logs root")
        }
        defer { try? handle.close() }
        do {
            let total = Int(try handle.seekToEnd())
            guard offset <= total else {
                throw ClipReadError(code: .badRequest, message: "offset \(offset) is past the file's end (\(total) bytes)")
            }
            try handle.seek(toOffset: UInt64(offset))
            return (total, try handle.read(upToCount: count) ?? Data())
        } catch let error as ClipReadError {
            throw error
        } catch {
            throw ClipReadError(code: .internal, message: "reading \(path) failed: \(error)")
        }
    }
}
