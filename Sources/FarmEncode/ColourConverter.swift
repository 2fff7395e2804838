import CLibAV
import FarmCore

/// Packed RGB24 (full range, top row first) → planar YUV 4:2:0 with BT.709 coefficients in limited
/// (TV) range, the HD standard that players assume for 720p and up. `MP4Writer` tags the stream
/// with the same matrix, primaries, transfer and range so decoders convert back consistently.
final class ColourConverter: @unchecked Sendable {
    private let context: OpaquePointer
    let width: Int
    let height: Int

    init(width: Int, height: Int, path: String) throws(EncodeError) {
        guard let context = sws_getContext(Int32(width), Int32(height), AV_PIX_FMT_RGB24,
                                           Int32(width), Int32(height), AV_PIX_FMT_YUV420P,
                                           SWS_BICUBIC, nil, nil, nil) else {
            throw .libav(call: "sws_getContext", path: path, code: -EINVAL,
                         message: "swscale cannot convert rgb24 to yuv420p at \(width)x\(height)")
        }
        self.context = context
        self.width = width
        self.height = height
        let bt709 = sws_getCoefficients(SWS_CS_ITU709)
        // Source range 1 = full (RGB), destination range 0 = limited; brightness 0, contrast and
        // saturation 1.0 in 16.16 fixed point.
        try LibAV.check(sws_setColorspaceDetails(context, bt709, 1, bt709, 0, 0, 1 << 16, 1 << 16),
                        "sws_setColorspaceDetails", path: path)
    }

    deinit { sws_freeContext(context) }

    func convert(_ rgb: RGBFrame, into yuv: YUVFrame, path: String) throws(EncodeError) {
        let sourceStride: [Int32] = [Int32(width * 3), 0, 0, 0]
        let rows = rgb.pixels.withUnsafeBufferPointer { pixels -> Int32 in
            let sourcePlanes: [UnsafePointer<UInt8>?] = [pixels.baseAddress, nil, nil, nil]
            return sws_scale(context, sourcePlanes, sourceStride, 0, Int32(height),
                             yuv.planes, yuv.strides)
        }
        try LibAV.check(rows, "sws_scale", path: path)
    }
}
