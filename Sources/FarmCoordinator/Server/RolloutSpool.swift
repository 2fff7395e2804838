import FarmCore
import FarmWire
import Foundation

/// Rollout files in `<state-dir>/spool/`: chunked uploads in progress (`upload-<id>.part`), and one
/// `<uuid>.rollout` per accepted job, kept until the job finishes. Uploads live in memory: after a
/// restart an unfinished upload is unknown and the client starts it again.
final class RolloutSpool {
    struct Upload {
        let path: String
        let totalBytes: Int
        var receivedBytes: Int
        let handle: FileHandle
    }

    let directory: String
    private var uploads: [String: Upload] = [:]
    private var openRollouts: [String: RolloutFile] = [:]

    init(stateDirectory: String) throws {
        directory = (stateDirectory as NSString).appendingPathComponent("spool")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// Deletes spool files no unfinished job uses: uploads cut short by a restart, and rollouts of
    /// jobs that were accepted as files but never committed.
    func removeOrphans(keeping inUse: Set<String>) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let orphans = names.map { (directory as NSString).appendingPathComponent($0) }.filter { !inUse.contains($0) }
        for path in orphans { unlink(path) }
        return orphans
    }

    func beginUpload(totalBytes: Int) throws -> UploadState {
        let id = UUID().uuidString.lowercased()
        let path = (directory as NSString).appendingPathComponent("upload-\(id).part")
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw SubmissionError("cannot create the upload file \(path)")
        }
        uploads[id] = Upload(path: path, totalBytes: totalBytes, receivedBytes: 0, handle: handle)
        return UploadState(uploadId: id, totalBytes: totalBytes, receivedBytes: 0)
    }

    /// Chunks must come in order: `offset` is the number of bytes received so far.
    func append(uploadId: String, offset: Int, bytes: Data) throws(SubmissionError) -> UploadState {
        guard var upload = uploads[uploadId] else { throw Self.unknown(uploadId) }
        guard offset == upload.receivedBytes else {
            throw SubmissionError("upload \(uploadId): chunk at offset \(offset), expected offset \(upload.receivedBytes)")
        }
        guard offset + bytes.count <= upload.totalBytes else {
            throw SubmissionError("upload \(uploadId): chunk ends at byte \(offset + bytes.count), past total_bytes \(upload.totalBytes)")
        }
        do {
            try upload.handle.write(contentsOf: bytes)
        } catch {
            throw SubmissionError("upload \(uploadId): cannot write \(upload.path): \(error.localizedDescription)")
        }
        upload.receivedBytes += bytes.count
        uploads[uploadId] = upload
        return UploadState(uploadId: uploadId, totalBytes: upload.totalBytes, receivedBytes: upload.receivedBytes)
    }

    /// Moves a complete upload, or writes inline bytes, to a job's spool file and validates it.
    func accept(inline data: Data?, uploadId: String?) throws(SubmissionError) -> RolloutFile {
        let path = (directory as NSString).appendingPathComponent("\(UUID().uuidString.lowercased()).rollout")
        if let data {
            let temporary = path + ".part"
            guard FileManager.default.createFile(atPath: temporary, contents: data) else {
                throw SubmissionError("cannot write the rollout to \(temporary)")
            }
            guard rename(temporary, path) == 0 else { throw SubmissionError("cannot rename \(temporary) to \(path)") }
        } else if let uploadId {
            guard let upload = uploads[uploadId] else { throw Self.unknown(uploadId) }
            guard upload.receivedBytes == upload.totalBytes else {
                throw SubmissionError("upload \(uploadId) is incomplete: \(upload.receivedBytes) of \(upload.totalBytes) bytes received")
            }
            try? upload.handle.close()
            uploads[uploadId] = nil
            guard rename(upload.path, path) == 0 else { throw SubmissionError("cannot rename \(upload.path) to \(path)") }
        } else {
            throw SubmissionError("SUBMIT carries no rollout: send it inline or name a completed upload_id")
        }
        do {
            let file = try RolloutFile(path: path)
            try file.checkFiniteBodyPoses()
            openRollouts[path] = file
            return file
        } catch {
            unlink(path)
            throw SubmissionError("rollout refused: \(error)")
        }
    }

    func isIncomplete(uploadId: String) -> Bool {
        uploads[uploadId].map { $0.receivedBytes < $0.totalBytes } ?? false
    }

    /// The job's rollout, opened once and kept open (its header parsed) while the job runs.
    func rollout(at path: String) throws(RolloutError) -> RolloutFile {
        if let open = openRollouts[path] { return open }
        let file = try RolloutFile(path: path)
        openRollouts[path] = file
        return file
    }

    func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    /// A finished job's rollout is no longer needed.
    func discard(_ path: String) {
        openRollouts[path] = nil
        unlink(path)
    }

    private static func unknown(_ id: String) -> SubmissionError {
        SubmissionError("upload \(id) is unknown: it was never begun, was already submitted, or the coordinator restarted since")
    }
}
