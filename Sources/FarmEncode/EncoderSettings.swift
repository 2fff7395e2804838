/// The video codec a clip is written with. `h264` is libx264; `mpeg4` is libavcodec's built-in
/// MPEG-4 Part 2 encoder, used on purpose or as the fallback where libx264 is missing.
public enum VideoCodec: String, Sendable, CaseIterable, Codable {
    case h264
    case mpeg4
}

/// How clips are encoded. The defaults were chosen by measurement, judged per byte (docs/ENCODING.md,
/// "Encoder settings per byte"): `veryfast` at CRF 20 is within 0.002 SSIM of the reference writer
/// (moviepy → libx264 `medium`, CRF 23) at 1.2× its bytes for about half its CPU per frame; the
/// earlier `superfast` CRF 22 took a third less CPU again but wrote 2.5–3× moviepy's bytes.
public struct EncoderSettings: Sendable, Hashable, Codable {
    /// libx264 constant rate factor, 0 (lossless) … 51. For mpeg4 it maps to a fixed quantiser.
    public var crf: Int
    /// libx264 preset name (ultrafast … placebo); ignored by mpeg4.
    public var preset: String
    public var codec: VideoCodec
    /// libx264 tune (`animation`, `stillimage`, …), or nil for none; ignored by mpeg4.
    public var tune: String?
    /// Encoder threads; 0 lets libav pick (one per core). Several workers on one node each take
    /// their share of the cores (`farmctl up --workers-per-gpu`, docs/ENCODING.md).
    public var threads: Int

    public static let x264Presets = ["ultrafast", "superfast", "veryfast", "faster", "fast",
                                     "medium", "slow", "slower", "veryslow", "placebo"]
    public static let x264Tunes = ["film", "animation", "grain", "stillimage", "psnr", "ssim",
                                   "fastdecode", "zerolatency"]

    public init(crf: Int = 20, preset: String = "veryfast", codec: VideoCodec = .h264, tune: String? = nil,
                threads: Int = 0) {
        self.crf = crf
        self.preset = preset
        self.codec = codec
        self.tune = tune
        self.threads = threads
    }

    /// The writer Isaac Lab and gymnasium's RecordVideo use: moviepy → ffmpeg libx264 medium CRF 23.
    public static let moviepyEquivalent = EncoderSettings(crf: 23, preset: "medium", codec: .h264)

    /// MPEG-4 Part 2 has no CRF: CRF 23 maps to quantiser 4, clamped to the codec's 2…31.
    var mpeg4QScale: Int { min(31, max(2, (crf + 1) / 6)) }

    public func validate() throws(EncodeError) {
        guard (0...51).contains(crf) else {
            throw .invalidSettings("crf \(crf) is outside 0…51")
        }
        guard Self.x264Presets.contains(preset) else {
            throw .invalidSettings("preset \"\(preset)\" is not one of \(Self.x264Presets.joined(separator: ", "))")
        }
        if let tune, !Self.x264Tunes.contains(tune) {
            throw .invalidSettings("tune \"\(tune)\" is not one of \(Self.x264Tunes.joined(separator: ", "))")
        }
        guard threads >= 0 else {
            throw .invalidSettings("threads \(threads) is negative (0 picks one per core)")
        }
    }
}
