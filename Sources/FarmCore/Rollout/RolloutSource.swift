/// Anything a clip can be rendered from: a rollout file on disk or rows received over the wire.
public protocol RolloutSource: Sendable {
    var header: RolloutHeader { get }
    /// Meshes in header order.
    func meshes() throws(RolloutError) -> [MeshData]
    /// body_q rows for env steps `range`, validated finite.
    func bodyPoses(steps range: Range<Int>) throws(RolloutError) -> BodyPoseRows
}

extension RolloutSource {
    func checkRange(_ range: Range<Int>) throws(RolloutError) {
        let available = header.stepRange
        guard range.lowerBound >= available.lowerBound, range.upperBound <= available.upperBound else {
            throw .stepsOutOfRange(requested: range, available: available)
        }
    }
}

/// A rollout held in memory.
public struct InMemoryRollout: RolloutSource {
    public let header: RolloutHeader
    public let rows: BodyPoseRows
    public let meshData: [MeshData]

    /// Validates that the rows and meshes match the header.
    public init(header: RolloutHeader, bodyQ: [Float], meshes: [MeshData] = []) throws(RolloutError) {
        let expected = header.steps * header.numBodies * RolloutFormat.floatsPerPose
        guard bodyQ.count == expected else {
            throw .truncated(section: "body_q", expectedBytes: expected * 4, availableBytes: bodyQ.count * 4)
        }
        guard meshes.count == header.meshes.count else {
            throw .invalidValue(field: "meshes", reason: "lists \(header.meshes.count) meshes but \(meshes.count) were given")
        }
        for (i, mesh) in meshes.enumerated() {
            try mesh.validate(field: "meshes[\(i)]")
        }
        self.header = header
        self.rows = try BodyPoseRows(steps: header.stepRange, numBodies: header.numBodies, values: bodyQ).validated()
        self.meshData = meshes
    }

    public func meshes() -> [MeshData] { meshData }

    public func bodyPoses(steps range: Range<Int>) throws(RolloutError) -> BodyPoseRows {
        try checkRange(range)
        let perStep = header.numBodies * RolloutFormat.floatsPerPose
        let start = (range.lowerBound - header.firstStep) * perStep
        return BodyPoseRows(steps: range, numBodies: header.numBodies,
                            values: Array(rows.values[start..<(start + range.count * perStep)]))
    }
}

extension MeshData {
    func validate(field: String) throws(RolloutError) {
        guard vertices.count % 3 == 0, vertices.count >= 9 else {
            throw .meshOutOfRange(field: field, reason: "needs xyz triples for at least 3 vertices")
        }
        guard indices.count % 3 == 0, !indices.isEmpty else {
            throw .meshOutOfRange(field: field, reason: "needs whole triangles (index count a multiple of 3)")
        }
        if let bad = indices.first(where: { Int($0) >= vertexCount }) {
            throw .meshOutOfRange(field: field, reason: "index \(bad) is past its \(vertexCount) vertices")
        }
        if vertices.contains(where: { !$0.isFinite }) {
            throw .meshOutOfRange(field: field, reason: "has NaN or infinite vertex coordinates")
        }
    }
}
