import Foundation

/// Lossless PNG of an RGB frame, for inspecting exact pixels (`farm-worker render --png-dir`).
/// Uses stored (uncompressed) deflate blocks: no zlib dependency, every byte exact, and fast to
/// write; the files are as large as the raw frame, which suits a debugging aid.
public enum PNGEncoder {
    public static func encode(_ frame: RGBFrame) -> Data {
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var ihdr = Data()
        ihdr.appendBigEndian(UInt32(frame.width))
        ihdr.appendBigEndian(UInt32(frame.height))
        ihdr.append(contentsOf: [8, 2, 0, 0, 0])  // 8-bit, truecolour RGB, deflate, no filter method, no interlace
        appendChunk("IHDR", ihdr, to: &png)
        appendChunk("IDAT", zlibStored(scanlines(frame)), to: &png)
        appendChunk("IEND", Data(), to: &png)
        return png
    }

    /// Each row prefixed with filter type 0 (none).
    private static func scanlines(_ frame: RGBFrame) -> Data {
        let rowBytes = frame.width * 3
        var raw = Data(capacity: (rowBytes + 1) * frame.height)
        for y in 0..<frame.height {
            raw.append(0)
            raw.append(contentsOf: frame.pixels[(y * rowBytes)..<((y + 1) * rowBytes)])
        }
        return raw
    }

    private static func zlibStored(_ raw: Data) -> Data {
        var out = Data([0x78, 0x01])
        let blockSize = 65_535
        var offset = 0
        repeat {
            let count = min(blockSize, raw.count - offset)
            let isLast = offset + count >= raw.count
            out.append(isLast ? 1 : 0)
            out.append(UInt8(count & 0xFF))
            out.append(UInt8(count >> 8))
            out.append(UInt8(~count & 0xFF))
            out.append(UInt8((~count >> 8) & 0xFF))
            out.append(raw[(raw.startIndex + offset)..<(raw.startIndex + offset + count)])
            offset += count
        } while offset < raw.count
        out.appendBigEndian(adler32(raw))
        return out
    }

    private static func appendChunk(_ type: String, _ body: Data, to png: inout Data) {
        png.appendBigEndian(UInt32(body.count))
        let typed = Data(type.utf8) + body
        png.append(typed)
        png.appendBigEndian(crc32(typed))
    }

    private static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ data: Data) -> UInt32 {
        ~data.reduce(~UInt32(0)) { crcTable[Int(($0 ^ UInt32($1)) & 0xFF)] ^ ($0 >> 8) }
    }

    static func adler32(_ data: Data) -> UInt32 {
        var (a, b): (UInt32, UInt32) = (1, 0)
        // Reduce modulo 65521 every 5552 bytes, the largest run that cannot overflow.
        var index = data.startIndex
        while index < data.endIndex {
            let end = min(index + 5552, data.endIndex)
            for byte in data[index..<end] {
                a &+= UInt32(byte)
                b &+= a
            }
            a %= 65521
            b %= 65521
            index = end
        }
        return b << 16 | a
    }
}

private extension Data {
    mutating func appendBigEndian(_ value: UInt32) {
        append(contentsOf: [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)])
    }
}
