/// A recorded frame's size in pixels (`window_width` × `window_height`).
public struct FrameSize: Sendable, Hashable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// `VideoRecorderCfg`'s 1280×720.
    public static let recorderDefault = FrameSize(width: 1280, height: 720)

    /// The largest side a clip may have: libx264 (0.164, Debian's libx264-164) refuses a wider or
    /// taller frame in `x264_encoder_open` ("invalid width x height"; measured with ffmpeg: 16384x16
    /// encodes, 16400x16 does not). It is also GL's usual renderbuffer limit.
    public static let maxDimension = 16384

    /// H.264 (ITU-T Rec. H.264) Table A-1: MaxFS of levels 6 to 6.2, the most 16×16 macroblocks a
    /// frame may have at any level (35,651,584 luma samples: 8192x4352 exactly). libx264 encodes larger frames but they conform to no level, and
    /// libavutil's `av_image_check_size2` (it needs (w+128)·(h+128) < INT_MAX/8) makes `avcodec_open2`
    /// refuse 16384x16384 with "Invalid argument".
    public static let maxMacroblocks = 139_264

    /// Macroblocks per frame: each side rounded up to whole 16-pixel macroblocks.
    public var macroblocks: Int { ((width + 15) / 16) * ((height + 15) / 16) }

    public var description: String { "\(width)x\(height)" }
}
