import FarmCore
import Foundation

/// The rollout a TASK carries: just the clip's steps. Binary frames, in order:
/// 0. the rollout header JSON of the slice (`RolloutHeader.slice(steps:).encoded()`),
/// 1. body_q rows, float32 little-endian [steps][num_bodies][7],
/// then for each mesh in header order: its vertices (float32 LE xyz) and its indices (uint32 LE).
public struct RolloutSlice: Sendable, Equatable {
    public let rollout: InMemoryRollout

    public init(_ rollout: InMemoryRollout) { self.rollout = rollout }

    /// Cuts `steps` out of any rollout source (a rollout file, a spooled upload).
    public init(source: any RolloutSource, steps: Range<Int>) throws(RolloutError) {
        let rows = try source.bodyPoses(steps: steps)
        rollout = try InMemoryRollout(header: source.header.slice(steps: steps), bodyQ: rows.values,
                                      meshes: try source.meshes())
    }

    public var binaries: [Data] {
        var frames = [rollout.header.encoded(), ByteCoding.bytes(rollout.rows.values)]
        for mesh in rollout.meshData {
            frames.append(ByteCoding.bytes(mesh.vertices))
            frames.append(ByteCoding.bytes(mesh.indices))
        }
        return frames
    }

    /// Validates exactly as a rollout file is validated; errors name the frame and the field.
    static func parse(_ binaries: [Data], command: String) throws(ProtocolError) -> RolloutSlice {
        guard binaries.count >= 2 else {
            throw .missingBinaryFrames(command: command, expected: "2 + 2 per mesh (rollout header, body_q, mesh blobs)",
                                       found: binaries.count)
        }
        let header: RolloutHeader
        do {
            header = try RolloutHeader.decode(binaries[0])
        } catch {
            throw .invalidValue(command: command, field: "binary frame 0 (rollout header)", reason: "is refused: \(error)")
        }
        let meshFrames = 2 + 2 * header.meshes.count
        if binaries.count < meshFrames {
            throw .missingBinaryFrames(command: command, expected: "\(meshFrames) (header lists \(header.meshes.count) meshes)",
                                       found: binaries.count)
        }
        if binaries.count > meshFrames {
            throw .unexpectedBinaryFrames(command: command, expected: meshFrames, found: binaries.count)
        }
        for (index, frame) in binaries.enumerated() where index > 0 && frame.count % 4 != 0 {
            throw .invalidValue(command: command, field: "binary frame \(index)", reason: "is \(frame.count) bytes, not a whole number of 4-byte values")
        }
        let meshes = stride(from: 2, to: meshFrames, by: 2).map {
            MeshData(vertices: ByteCoding.floats(binaries[$0]), indices: ByteCoding.uint32s(binaries[$0 + 1]))
        }
        do {
            return RolloutSlice(try InMemoryRollout(header: header, bodyQ: ByteCoding.floats(binaries[1]), meshes: meshes))
        } catch {
            throw .invalidValue(command: command, field: "rollout slice", reason: "is refused: \(error)")
        }
    }

    public static func == (a: RolloutSlice, b: RolloutSlice) -> Bool {
        a.rollout.header == b.rollout.header && a.rollout.rows == b.rollout.rows && a.rollout.meshData == b.rollout.meshData
    }
}

/// float32/uint32 little-endian arrays to and from bytes, in bulk: FarmWire's one place that
/// reinterprets bytes. On little-endian hosts (every target the farm runs on) both directions are a
/// single copy; a big-endian host swaps each value.
enum ByteCoding {
    static func floats(_ data: Data) -> [Float] {
        #if _endian(little)
        return array(Float.self, data)
        #else
        return array(UInt32.self, data).map { Float(bitPattern: UInt32(littleEndian: $0)) }
        #endif
    }

    static func uint32s(_ data: Data) -> [UInt32] {
        #if _endian(little)
        return array(UInt32.self, data)
        #else
        return array(UInt32.self, data).map { UInt32(littleEndian: $0) }
        #endif
    }

    static func bytes(_ values: [Float]) -> Data {
        #if _endian(little)
        return values.withUnsafeBytes { Data($0) }
        #else
        return rawBytes(values.map { $0.bitPattern.littleEndian })
        #endif
    }

    static func bytes(_ values: [UInt32]) -> Data {
        #if _endian(little)
        return rawBytes(values)
        #else
        return rawBytes(values.map { $0.littleEndian })
        #endif
    }

    /// Copies whole values' bytes as they lie (trailing bytes short of a value are ignored).
    private static func array<T>(_: T.Type, _ data: Data) -> [T] {
        let count = data.count / MemoryLayout<T>.size
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            _ = data.copyBytes(to: buffer)
            initialized = count
        }
    }

    private static func rawBytes<T>(_ values: [T]) -> Data {
        values.withUnsafeBytes { Data($0) }
    }
}
