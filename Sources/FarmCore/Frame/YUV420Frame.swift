/// One frame as planar YUV 4:2:0 (I420): the Y plane (width × height), then the U and V planes
/// ((width/2) × (height/2) each), 8 bits per sample, rows top first, no padding. Sizes are even.
public struct YUV420Frame: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var bytes: [UInt8]

    public init(width: Int, height: Int, bytes: [UInt8]) {
        precondition(width > 0 && height > 0 && width % 2 == 0 && height % 2 == 0, "I420 needs even sizes")
        precondition(bytes.count == Self.byteCount(width: width, height: height),
                     "I420 frame needs width*height*3/2 bytes")
        self.width = width
        self.height = height
        self.bytes = bytes
    }

    public static func byteCount(width: Int, height: Int) -> Int { width * height * 3 / 2 }

    public var lumaCount: Int { width * height }
    public var chromaCount: Int { (width / 2) * (height / 2) }

    /// Offsets of the Y, U and V planes in `bytes`.
    public var planeOffsets: (y: Int, u: Int, v: Int) { (0, lumaCount, lumaCount + chromaCount) }

    public func luma(x: Int, y: Int) -> UInt8 { bytes[y * width + x] }
    /// Chroma sample (x, y) of the half-size planes.
    public func chroma(x: Int, y: Int) -> (u: UInt8, v: UInt8) {
        let i = y * (width / 2) + x
        return (bytes[planeOffsets.u + i], bytes[planeOffsets.v + i])
    }
}
