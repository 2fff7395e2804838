import Foundation

/// float32/uint32/uint64 little-endian conversions between bytes and arrays, done in bulk.
/// The one place in FarmCore that reinterprets bytes.
enum LittleEndianCoding {
    static func floats(_ data: Data) -> [Float] {
        array(of: UInt32.self, data).map { Float(bitPattern: UInt32(littleEndian: $0)) }
    }

    static func uint32s(_ data: Data) -> [UInt32] {
        array(of: UInt32.self, data).map { UInt32(littleEndian: $0) }
    }

    static func uint64(_ data: Data) -> UInt64 {
        data.prefix(8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    static func bytes(_ floats: [Float]) -> Data {
        rawBytes(floats.map { $0.bitPattern.littleEndian })
    }

    static func bytes(_ values: [UInt32]) -> Data {
        rawBytes(values.map { $0.littleEndian })
    }

    static func bytes(_ value: UInt64) -> Data {
        Data((0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) })
    }

    private static func array<T: FixedWidthInteger>(of: T.Type, _ data: Data) -> [T] {
        let count = data.count / MemoryLayout<T>.size
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            _ = data.copyBytes(to: buffer)
            initialized = count
        }
    }

    private static func rawBytes<T: FixedWidthInteger>(_ values: [T]) -> Data {
        values.withUnsafeBufferPointer { Data(buffer: $0) }
    }
}
