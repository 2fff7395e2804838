import Foundation

/// Writes a rollout step by step, so generators of long, wide rollouts never hold all rows in memory.
/// The file appears at its final path only once `finish()` has written every row.
public final class RolloutStreamWriter {
    public let path: String
    private let header: RolloutHeader
    private let blobs: Data
    private let temporaryPath: String
    private let handle: FileHandle
    private var stepsWritten = 0
    private var closed = false

    public init(path: String, header: RolloutHeader, meshes: [MeshData] = []) throws {
        let (placed, blobs) = try RolloutWriter.place(meshes, in: header)
        let prefix = RolloutWriter.preamble(placed)
        self.path = path
        self.header = placed
        self.blobs = blobs
        let url = URL(fileURLWithPath: path)
        temporaryPath = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).partial-\(UUID().uuidString.prefix(8))").path
        guard FileManager.default.createFile(atPath: temporaryPath, contents: prefix),
              let handle = FileHandle(forWritingAtPath: temporaryPath) else {
            throw RolloutError.cannotOpen(path: temporaryPath, reason: "cannot create file")
        }
        self.handle = handle
        try handle.seekToEnd()
    }

    /// Appends the rows of the next `rows.count / (numBodies * 7)` steps.
    public func append(_ rows: [Float]) throws {
        let perStep = header.numBodies * RolloutFormat.floatsPerPose
        let steps = perStep == 0 ? 0 : rows.count / perStep
        precondition(rows.count == steps * perStep, "append whole steps of body_q rows")
        guard stepsWritten + steps <= header.steps else {
            throw RolloutError.invalidValue(field: "steps", reason: "is \(header.steps) but more rows were appended")
        }
        _ = try BodyPoseRows(steps: stepsWritten..<(stepsWritten + steps), numBodies: header.numBodies, values: rows).validated()
        try handle.write(contentsOf: LittleEndianCoding.bytes(rows))
        stepsWritten += steps
    }

    public func finish() throws {
        guard stepsWritten == header.steps else {
            abandon()
            throw RolloutError.invalidValue(field: "steps", reason: "is \(header.steps) but \(stepsWritten) were written")
        }
        try handle.write(contentsOf: blobs)
        try handle.close()
        closed = true
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: temporaryPath, toPath: path)
    }

    /// Drops the partial file.
    public func abandon() {
        if !closed { try? handle.close() }
        closed = true
        try? FileManager.default.removeItem(atPath: temporaryPath)
    }

    deinit {
        if !closed { abandon() }
    }
}
