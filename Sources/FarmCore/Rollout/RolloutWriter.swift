import Foundation

/// Writes rollout files. Mesh blob offsets in the header are assigned here, so callers give
/// meshes as data and never compute offsets.
public enum RolloutWriter {
    /// The complete file contents.
    public static func encode(header: RolloutHeader, bodyQ: [Float], meshes: [MeshData] = []) throws(RolloutError) -> Data {
        var header = header
        var blobs = Data()
        header.meshes = meshes.map { mesh in
            let verticesOffset = blobs.count
            blobs.append(LittleEndianCoding.bytes(mesh.vertices))
            let indicesOffset = blobs.count
            blobs.append(LittleEndianCoding.bytes(mesh.indices))
            return MeshLocation(verticesOffset: verticesOffset, vertexCount: mesh.vertexCount,
                                indicesOffset: indicesOffset, indexCount: mesh.indices.count)
        }
        // Validates sizes, finiteness and meshes exactly as a reader would.
        _ = try InMemoryRollout(header: header, bodyQ: bodyQ, meshes: meshes)
        let json = header.encoded()
        var data = Data(RolloutFormat.magic)
        data.append(LittleEndianCoding.bytes(UInt64(json.count)))
        data.append(json)
        data.append(LittleEndianCoding.bytes(bodyQ))
        data.append(blobs)
        return data
    }

    /// Writes to a temporary name beside `path`, then renames: readers never see a partial file.
    public static func write(header: RolloutHeader, bodyQ: [Float], meshes: [MeshData] = [], to path: String) throws {
        let data = try encode(header: header, bodyQ: bodyQ, meshes: meshes)
        let url = URL(fileURLWithPath: path)
        try data.write(to: url, options: .atomic)
    }
}
