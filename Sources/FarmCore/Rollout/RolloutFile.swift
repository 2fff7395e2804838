import Foundation

/// A rollout file on disk. Opening reads and validates only the preamble and header; body rows and
/// mesh blobs are read on demand, so a worker reads one clip's steps of a large rollout.
public struct RolloutFile: RolloutSource {
    public let path: String
    public let header: RolloutHeader
    /// Byte offset of the first body_q row.
    let bodyOffset: Int

    public init(path: String) throws(RolloutError) {
        self.path = path
        let handle = try Self.open(path)
        defer { try? handle.close() }
        let fileSize: Int
        do { fileSize = Int(try handle.seekToEnd()) } catch { throw .cannotOpen(path: path, reason: "\(error)") }

        let preamble = try Self.read(handle, at: 0, count: RolloutFormat.preambleBytes, fileSize: fileSize, section: "preamble")
        guard Array(preamble.prefix(8)) == RolloutFormat.magic else {
            throw .badMagic(found: String(decoding: preamble.prefix(8).map { (32...126).contains($0) ? $0 : 63 }, as: UTF8.self).debugDescription)
        }
        let headerLength = LittleEndianCoding.uint64(preamble.suffix(8))
        guard headerLength > 0, headerLength <= UInt64(RolloutFormat.maxHeaderBytes) else {
            throw .invalidValue(field: "header length (bytes 8..15)", reason: "is \(headerLength); must be 1...\(RolloutFormat.maxHeaderBytes)")
        }
        let headerData = try Self.read(handle, at: RolloutFormat.preambleBytes, count: Int(headerLength),
                                       fileSize: fileSize, section: "header")
        let header = try RolloutHeader.decode(headerData)
        let bodyOffset = RolloutFormat.preambleBytes + Int(headerLength)
        let expected = bodyOffset + header.bodyBytes + header.blobBytes
        let blobSection = fileSize - bodyOffset - header.bodyBytes
        for (i, mesh) in header.meshes.enumerated() where blobSection >= 0 && max(mesh.verticesEnd, mesh.indicesEnd) > blobSection {
            throw .meshOutOfRange(field: "meshes[\(i)]", reason: "ends at byte \(max(mesh.verticesEnd, mesh.indicesEnd)) "
                                  + "of the blob section, which holds only \(blobSection) bytes")
        }
        guard fileSize == expected else {
            let layout = "\(RolloutFormat.preambleBytes) preamble + \(headerLength) header + \(header.bodyBytes) body_q "
                + "for \(header.steps) steps × \(header.numBodies) bodies + \(header.blobBytes) mesh blob bytes"
            throw .sizeMismatch(expectedTotal: expected, actualTotal: fileSize, layout: layout)
        }
        self.header = header
        self.bodyOffset = bodyOffset
    }

    public func bodyPoses(steps range: Range<Int>) throws(RolloutError) -> BodyPoseRows {
        try checkRange(range)
        let rowBytes = header.numBodies * RolloutFormat.bytesPerPose
        let handle = try Self.open(path)
        defer { try? handle.close() }
        let data = try Self.read(handle, at: bodyOffset + (range.lowerBound - header.firstStep) * rowBytes,
                                 count: range.count * rowBytes, fileSize: Int.max, section: "body_q")
        return try BodyPoseRows(steps: range, numBodies: header.numBodies,
                                values: LittleEndianCoding.floats(data)).validated()
    }

    /// Reads every body_q value once, in 4 MiB chunks, and refuses the rollout if any is NaN or
    /// infinite, naming the first (step, body, component) and counting them all. A float32 is NaN or
    /// infinite exactly when its 8 exponent bits are all ones, so the scan tests bits, not floats.
    public func checkFiniteBodyPoses() throws(RolloutError) {
        let chunkBytes = 4 << 20
        let handle = try Self.open(path)
        defer { try? handle.close() }
        var first: Int?
        var count = 0
        var offset = 0
        while offset < header.bodyBytes {
            let length = min(chunkBytes, header.bodyBytes - offset)
            let data = try Self.read(handle, at: bodyOffset + offset, count: length, fileSize: Int.max, section: "body_q")
            let (chunkFirst, chunkCount) = Self.nonFiniteFloats(data)
            if first == nil, let chunkFirst { first = offset / 4 + chunkFirst }
            count += chunkCount
            offset += length
        }
        guard let first else { return }
        let perStep = header.numBodies * RolloutFormat.floatsPerPose
        throw .nonFiniteBodyPoses(step: header.firstStep + first / perStep,
                                  body: (first % perStep) / RolloutFormat.floatsPerPose,
                                  component: first % RolloutFormat.floatsPerPose, count: count)
    }

    /// The index of the first little-endian float32 in `data` that is NaN or infinite, and how many are.
    static func nonFiniteFloats(_ data: Data) -> (first: Int?, count: Int) {
        data.withUnsafeBytes { raw in
            let exponent: UInt32 = 0x7F80_0000
            var first: Int?
            var count = 0
            for index in 0..<(raw.count / 4) {
                let bits = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
                if bits & exponent == exponent {
                    if first == nil { first = index }
                    count += 1
                }
            }
            return (first, count)
        }
    }

    public func meshes() throws(RolloutError) -> [MeshData] {
        guard !header.meshes.isEmpty else { return [] }
        let handle = try Self.open(path)
        defer { try? handle.close() }
        let blobStart = bodyOffset + header.bodyBytes
        var result: [MeshData] = []
        for (i, location) in header.meshes.enumerated() {
            let vertices = try Self.read(handle, at: blobStart + location.verticesOffset, count: location.vertexCount * 12,
                                         fileSize: Int.max, section: "meshes[\(i)] vertices")
            let indices = try Self.read(handle, at: blobStart + location.indicesOffset, count: location.indexCount * 4,
                                        fileSize: Int.max, section: "meshes[\(i)] indices")
            let mesh = MeshData(vertices: LittleEndianCoding.floats(vertices), indices: LittleEndianCoding.uint32s(indices))
            try mesh.validate(field: "meshes[\(i)]")
            result.append(mesh)
        }
        return result
    }

    private static func open(_ path: String) throws(RolloutError) -> FileHandle {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file"
            throw .cannotOpen(path: path, reason: reason)
        }
        return handle
    }

    private static func read(_ handle: FileHandle, at offset: Int, count: Int, fileSize: Int,
                             section: String) throws(RolloutError) -> Data {
        guard fileSize >= offset + count else {
            throw .truncated(section: section, expectedBytes: count, availableBytes: max(0, fileSize - offset))
        }
        let data: Data
        do {
            try handle.seek(toOffset: UInt64(offset))
            data = try handle.read(upToCount: count) ?? Data()
        } catch {
            throw .truncated(section: section, expectedBytes: count, availableBytes: 0)
        }
        guard data.count == count else { throw .truncated(section: section, expectedBytes: count, availableBytes: data.count) }
        return data
    }
}
