import Foundation

/// Writes rollout files. Mesh blob offsets in the header are assigned here, so callers give
/// meshes as data and never compute offsets.
public enum RolloutWriter {
    /// The complete file contents.
    public static func encode(header: RolloutHeader, bodyQ: [Float], meshes: [MeshData] = []) throws(RolloutError) -> Data {
        let (placed, blobs) = try place(meshes, in: header)
        // Validates sizes and finiteness exactly as a reader would.
        _ = try InMemoryRollout(header: placed, bodyQ: bodyQ, meshes: meshes)
        var data = preamble(placed)
        data.append(LittleEndianCoding.bytes(bodyQ))
        data.append(blobs)
        return data
    }

    /// Writes to a temporary name beside `path`, then renames: readers never see a partial file.
    public static func write(header: RolloutHeader, bodyQ: [Float], meshes: [MeshData] = [], to path: String) throws {
        let data = try encode(header: header, bodyQ: bodyQ, meshes: meshes)
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// The header with mesh locations assigned, and the blob section they point into.
    static func place(_ meshes: [MeshData], in header: RolloutHeader) throws(RolloutError) -> (RolloutHeader, Data) {
        var header = header
        var blobs = Data()
        header.meshes = []
        for (i, mesh) in meshes.enumerated() {
            try mesh.validate(field: "meshes[\(i)]")
            let verticesOffset = blobs.count
            blobs.append(LittleEndianCoding.bytes(mesh.vertices))
            let indicesOffset = blobs.count
            blobs.append(LittleEndianCoding.bytes(mesh.indices))
            header.meshes.append(MeshLocation(verticesOffset: verticesOffset, vertexCount: mesh.vertexCount,
                                              indicesOffset: indicesOffset, indexCount: mesh.indices.count))
        }
        return (header, blobs)
    }

    /// Magic, header length and header JSON.
    static func preamble(_ header: RolloutHeader) -> Data {
        let json = header.encoded()
        var data = Data(RolloutFormat.magic)
        data.append(LittleEndianCoding.bytes(UInt64(json.count)))
        data.append(json)
        return data
    }
}
