import ArgumentParser
import FarmWire
import Foundation

/// `farmctl fetch JOB CLIP --out FILE`: a finished clip's bytes over the wire (FETCH_CLIP), for a
/// machine that does not share the coordinator's logs root.
struct FetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Copy a finished clip from the coordinator to a local file.",
        discussion: """
            CLIP is the clip's id or its file name, as farmctl status JOB lists them. The file is written \
            under a temporary name and renamed into place, so --out never holds a partial clip.
            """)

    @OptionGroup var coordinator: CoordinatorOptions

    @Argument(help: "Job id.")
    var job: String

    @Argument(help: "Clip id or file name, e.g. 2 or rl-video-step-500.mp4.")
    var clip: String

    @Option(help: "Where to write the clip (default: the clip's file name in the working directory).")
    var out: String?

    @Flag(help: "Print {\"path\", \"bytes\", \"file\"} as JSON.")
    var json = false

    func run() throws {
        try reportingFailures {
            let client = try coordinator.connect()
            let clipId = try resolveClipId(client)
            var offset = 0
            var bytes = Data()
            var file = clip
            while true {
                let reply = try client.request(.fetchClip(FetchClip(jobId: job, clipId: clipId, offset: offset)))
                guard let chunk = reply.clipChunk, let data = reply.clipBytes else {
                    throw CommandFailure(message: "the coordinator answered FETCH_CLIP without the clip's bytes")
                }
                bytes.append(data)
                offset += data.count
                file = chunk.file
                if offset >= chunk.totalBytes { break }
                guard !data.isEmpty else {
                    throw CommandFailure(message: "clip \(clipId) of job \(job) shrank while it was fetched (\(offset) of \(chunk.totalBytes) bytes)")
                }
            }
            let path = out ?? file
            try Self.writeAtomically(bytes, to: path)
            if json {
                FileHandle.standardOutput.write(WireJSON.encode(FetchedClip(path: path, bytes: bytes.count, file: file)) + Data("\n".utf8))
            } else {
                print("\(path) (\(bytes.count) bytes)")
            }
        }
    }

    private struct FetchedClip: Encodable {
        let path: String
        let bytes: Int
        let file: String
    }

    /// A number is the id; anything else is looked up among the job's clip file names.
    private func resolveClipId(_ client: CoordinatorClient) throws -> Int {
        if let id = Int(clip) { return id }
        let record = try client.completeRecord(of: job)
        let clips = record.clips ?? []
        guard let match = clips.first(where: { $0.file == clip }) else {
            throw CommandFailure(message: "job \(job) has no clip named \(clip); its clips: "
                + clips.map { "\($0.id) \($0.file)" }.joined(separator: ", "))
        }
        return match.id
    }

    static func writeAtomically(_ data: Data, to path: String) throws {
        let target = URL(fileURLWithPath: path)
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).part")
        do {
            try data.write(to: temporary)
            // rename(2) replaces an existing file in one step; a reader sees the old clip or the new one.
            guard rename(temporary.path, target.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw CommandFailure(message: "cannot write \(path): \(error.localizedDescription)")
        }
    }
}
