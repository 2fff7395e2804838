/// A triangle mesh: xyz vertex positions and triangle indices into them.
public struct MeshData: Sendable, Equatable {
    public var vertices: [Float]
    public var indices: [UInt32]

    public init(vertices: [Float], indices: [UInt32]) {
        self.vertices = vertices
        self.indices = indices
    }

    public var vertexCount: Int { vertices.count / 3 }
}

/// Where a mesh's blobs sit, in bytes from the start of the blob section (right after body_q).
public struct MeshLocation: Sendable, Equatable {
    public var verticesOffset: Int
    public var vertexCount: Int
    public var indicesOffset: Int
    public var indexCount: Int

    public init(verticesOffset: Int, vertexCount: Int, indicesOffset: Int, indexCount: Int) {
        self.verticesOffset = verticesOffset
        self.vertexCount = vertexCount
        self.indicesOffset = indicesOffset
        self.indexCount = indexCount
    }

    var verticesEnd: Int { verticesOffset + vertexCount * 12 }
    var indicesEnd: Int { indicesOffset + indexCount * 4 }
}
