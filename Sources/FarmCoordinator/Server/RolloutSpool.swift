import FarmCore
import FarmWire
import Foundation

/// Rollout files in `<state-dir>/spool/`: chunked uploads in progress (`upload-<id>.part`), and one
/// `<uuid>.rollout` per accepted job, kept until the job finishes. Uploads live in memory: after a
/// restart an unfinished upload is unknown and the client starts it again. Uploads are bounded by
/// `UploadLimits` (per client, in total, and in idle time); each chunk opens, appends to and closes
/// its file, so a waiting upload holds no descriptor.
final class RolloutSpool {
    struct Upload {
        let path: String
        let totalBytes: Int
        var receivedBytes: Int
        /// The client that began it (`UploadLimits.maxUploadsPerClient`).
        let client: String
        /// When it began or last got a chunk (`UploadLimits.idleExpiry`).
        var lastActive: Double
    }

    let directory: String
    let limits: UploadLimits
    /// The free space kept on the spool's filesystem, which holds the database too.
    let disk: DiskReserve
    private var uploads: [String: Upload] = [:]
    private var openRollouts: [String: RolloutFile] = [:]

    init(stateDirectory: String, limits: UploadLimits = .standard) throws {
        directory = (stateDirectory as NSString).appendingPathComponent("spool")
        self.limits = limits
        disk = DiskReserve(directory: stateDirectory, keep: limits.keepFreeBytes)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// Bytes uploads under way have yet to write.
    var promisedBytes: Int { uploads.values.reduce(0) { $0 + $1.totalBytes - $1.receivedBytes } }

    /// Drops uploads with no chunk for `idleExpiry` seconds and deletes their files; returns their ids.
    func expireIdleUploads(now: Double) -> [String] {
        let idle = uploads.filter { now - $0.value.lastActive > limits.idleExpiry }
        for (id, upload) in idle {
            unlink(upload.path)
            uploads[id] = nil
        }
        return idle.keys.sorted()
    }

    /// Deletes spool files no unfinished job uses: uploads cut short by a restart, and rollouts of
    /// jobs that were accepted as files but never committed.
    func removeOrphans(keeping inUse: Set<String>) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let orphans = names.map { (directory as NSString).appendingPathComponent($0) }.filter { !inUse.contains($0) }
        for path in orphans { unlink(path) }
        return orphans
    }

    func beginUpload(totalBytes: Int, client: String, now: Double) throws(SubmissionError) -> UploadState {
        guard totalBytes <= limits.maxUploadBytes else {
            throw SubmissionError("total_bytes is \(totalBytes); an upload may be at most \(limits.maxUploadBytes) bytes")
        }
        let mine = uploads.values.filter { $0.client == client }.count
        guard mine < limits.maxUploadsPerClient else {
            throw SubmissionError("this client already has \(mine) unfinished uploads, the most it may have; finish or "
                + "abandon one (an upload with no chunk for \(Int(limits.idleExpiry)) s is dropped)")
        }
        let reserved = uploads.values.reduce(0) { $0 + $1.totalBytes }
        guard totalBytes <= limits.maxSpoolBytes - reserved else {
            throw SubmissionError("the spool has \(limits.maxSpoolBytes - reserved) of its \(limits.maxSpoolBytes) bytes free "
                + "for uploads, less than total_bytes \(totalBytes); try again when other uploads finish")
        }
        if let refusal = disk.refusal(needed: totalBytes, promised: promisedBytes) { throw SubmissionError(refusal) }
        guard !DescriptorBudget.isShort(for: .dashboardOrUpload) else {
            throw SubmissionError("the coordinator is short of file descriptors (fewer than \(DescriptorBudget.Claimant.dashboardOrUpload.keeps) "
                + "left under its limit); try the upload again later, or raise LimitNOFILE")
        }
        let id = UUID().uuidString.lowercased()
        let path = (directory as NSString).appendingPathComponent("upload-\(id).part")
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw SubmissionError("cannot create the upload file \(path): \(String(cString: strerror(errno)))")
        }
        close(fd)
        uploads[id] = Upload(path: path, totalBytes: totalBytes, receivedBytes: 0, client: client, lastActive: now)
        return UploadState(uploadId: id, totalBytes: totalBytes, receivedBytes: 0)
    }

    /// Chunks must come in order: `offset` is the number of bytes received so far.
    func append(uploadId: String, offset: Int, bytes: Data, now: Double) throws(SubmissionError) -> UploadState {
        guard var upload = uploads[uploadId] else { throw Self.unknown(uploadId) }
        guard offset == upload.receivedBytes else {
            throw SubmissionError("upload \(uploadId): chunk at offset \(offset), expected offset \(upload.receivedBytes)")
        }
        guard offset + bytes.count <= upload.totalBytes else {
            throw SubmissionError("upload \(uploadId): chunk ends at byte \(offset + bytes.count), past total_bytes \(upload.totalBytes)")
        }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: upload.path))
            defer { try? handle.close() }
            try handle.seek(toOffset: UInt64(offset))
            try handle.write(contentsOf: bytes)
        } catch {
            throw SubmissionError("upload \(uploadId): cannot write \(upload.path): \(error.localizedDescription)")
        }
        upload.receivedBytes += bytes.count
        upload.lastActive = now
        uploads[uploadId] = upload
        return UploadState(uploadId: uploadId, totalBytes: upload.totalBytes, receivedBytes: upload.receivedBytes)
    }

    /// A SUBMIT's rollout on its way into the spool: what `take` writes or moves to `destination`.
    struct Intake: Sendable {
        enum Source: Sendable {
            case inline(Data)
            /// A complete upload's file, no longer an upload once prepared.
            case upload(path: String)
        }

        let source: Source
        /// `<uuid>.rollout` in the spool.
        let destination: String

        /// Bytes held in memory until written: an inline rollout's.
        var inlineBytes: Int {
            if case .inline(let data) = source { data.count } else { 0 }
        }
    }

    /// The cheap part of taking a SUBMIT's rollout, on the loop: a complete upload stops being an
    /// upload (so no chunk can reach it any more) and the job's spool file is named.
    func prepare(inline data: Data?, uploadId: String?) throws(SubmissionError) -> Intake {
        let destination = (directory as NSString).appendingPathComponent("\(UUID().uuidString.lowercased()).rollout")
        if let data { return Intake(source: .inline(data), destination: destination) }
        guard let uploadId else {
            throw SubmissionError("SUBMIT carries no rollout: send it inline or name a completed upload_id")
        }
        guard let upload = uploads[uploadId] else { throw Self.unknown(uploadId) }
        guard upload.receivedBytes == upload.totalBytes else {
            throw SubmissionError("upload \(uploadId) is incomplete: \(upload.receivedBytes) of \(upload.totalBytes) bytes received")
        }
        uploads[uploadId] = nil
        return Intake(source: .upload(path: upload.path), destination: destination)
    }

    /// The costly part, on any thread (it touches only the intake's own files): writes or moves the
    /// rollout into place, reads its header and checks every body pose; a refused rollout's file is
    /// deleted.
    static func take(_ intake: Intake) -> Result<RolloutFile, SubmissionError> {
        let path = intake.destination
        switch intake.source {
        case .inline(let data):
            let temporary = path + ".part"
            guard FileManager.default.createFile(atPath: temporary, contents: data) else {
                return .failure(SubmissionError("cannot write the rollout to \(temporary)"))
            }
            guard rename(temporary, path) == 0 else {
                unlink(temporary)
                return .failure(SubmissionError("cannot rename \(temporary) to \(path)"))
            }
        case .upload(let upload):
            guard rename(upload, path) == 0 else {
                unlink(upload)
                return .failure(SubmissionError("cannot rename \(upload) to \(path)"))
            }
        }
        do {
            let file = try RolloutFile(path: path)
            try file.checkFiniteBodyPoses()
            return .success(file)
        } catch {
            unlink(path)
            return .failure(SubmissionError("rollout refused: \(error)"))
        }
    }

    /// A taken rollout belongs to a job from now on (kept open while the job runs).
    func adopt(_ file: RolloutFile) { openRollouts[file.path] = file }

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

    /// The file's size in bytes, nil when there is none.
    func size(of path: String) -> Int? {
        var status = stat()
        return stat(path, &status) == 0 ? Int(status.st_size) : nil
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
