import CLibAV
import FarmCore
import Logging

/// One H.264 (or MPEG-4 Part 2) video stream in an MP4 file with the index at the front. Owns the
/// codec context, the muxer and its file; used by one thread at a time (the clip encoder's
/// encoding thread while it runs, its owner after that).
final class MP4Writer: @unchecked Sendable {
    let path: String
    /// "libx264" or "mpeg4".
    let codecName: String
    private(set) var packetsWritten = 0
    private let codec: UnsafeMutablePointer<AVCodecContext>
    private let format: UnsafeMutablePointer<AVFormatContext>
    private let stream: UnsafeMutablePointer<AVStream>
    private let packet: UnsafeMutablePointer<AVPacket>
    private var fileOpen = false

    init(path: String, width: Int, height: Int, frameRate: FrameRate, settings: EncoderSettings,
         logger: Logger, findEncoder: (String) -> UnsafePointer<AVCodec>? = { avcodec_find_encoder_by_name($0) })
        throws(EncodeError) {
        self.path = path
        LibAV.quietInfoLogs
        let encoder = try Self.resolveEncoder(settings.codec, findEncoder: findEncoder, logger: logger)
        codecName = String(cString: encoder.pointee.name)

        guard let codec = avcodec_alloc_context3(encoder) else {
            throw .libav(call: "avcodec_alloc_context3", path: path, code: -ENOMEM, message: "out of memory")
        }
        self.codec = codec
        var formatContext: UnsafeMutablePointer<AVFormatContext>?
        let allocated = avformat_alloc_output_context2(&formatContext, nil, "mp4", path)
        guard allocated >= 0, let formatContext else {
            var codec: UnsafeMutablePointer<AVCodecContext>? = codec
            avcodec_free_context(&codec)
            throw .libav(call: "avformat_alloc_output_context2", path: path, code: allocated,
                         message: LibAV.message(for: allocated))
        }
        format = formatContext
        guard let stream = avformat_new_stream(formatContext, nil), let packet = av_packet_alloc() else {
            var codec: UnsafeMutablePointer<AVCodecContext>? = codec
            avcodec_free_context(&codec)
            avformat_free_context(formatContext)
            throw .libav(call: "avformat_new_stream", path: path, code: -ENOMEM, message: "out of memory")
        }
        self.stream = stream
        self.packet = packet
        // From here deinit releases everything.
        try configure(width: width, height: height, frameRate: frameRate, settings: settings, encoder: encoder)
    }

    deinit {
        if fileOpen { avio_closep(&format.pointee.pb) }
        avformat_free_context(format)
        var codec: UnsafeMutablePointer<AVCodecContext>? = codec
        avcodec_free_context(&codec)
        var packet: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&packet)
    }

    /// libx264 when asked for H.264 and present; otherwise libavcodec's built-in mpeg4, with a
    /// warning when that is a fallback rather than the request.
    static func resolveEncoder(_ codec: VideoCodec, findEncoder: (String) -> UnsafePointer<AVCodec>?,
                               logger: Logger) throws(EncodeError) -> UnsafePointer<AVCodec> {
        if codec == .h264 {
            if let x264 = findEncoder("libx264") { return x264 }
            logger.warning("libx264 is not available in this libavcodec; writing MPEG-4 Part 2 (mpeg4) clips instead, which are larger at equal quality")
        }
        guard let mpeg4 = findEncoder("mpeg4") else {
            throw .encoderUnavailable(codec == .h264 ? "neither libx264 nor mpeg4 is in this libavcodec"
                                                     : "mpeg4 is not in this libavcodec")
        }
        return mpeg4
    }

    private func configure(width: Int, height: Int, frameRate: FrameRate, settings: EncoderSettings,
                           encoder: UnsafePointer<AVCodec>) throws(EncodeError) {
        // libav's fields are 32-bit: a value that does not fit is refused here, never trapped on.
        guard let width32 = Int32(exactly: width), let height32 = Int32(exactly: height) else {
            throw .invalidSize(width: width, height: height)
        }
        guard let rateNumerator = Int32(exactly: frameRate.numerator),
              let rateDenominator = Int32(exactly: frameRate.denominator) else {
            throw .invalidSettings("frame rate \(frameRate) fps does not fit libav's 32-bit time base")
        }
        let c = codec
        c.pointee.width = width32
        c.pointee.height = height32
        c.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        // Frame N has pts N: one tick of the time base is exactly one frame.
        c.pointee.time_base = AVRational(num: rateDenominator, den: rateNumerator)
        c.pointee.framerate = AVRational(num: rateNumerator, den: rateDenominator)
        c.pointee.thread_count = Int32(settings.threads)
        c.pointee.color_range = AVCOL_RANGE_MPEG
        c.pointee.colorspace = AVCOL_SPC_BT709
        c.pointee.color_primaries = AVCOL_PRI_BT709
        c.pointee.color_trc = AVCOL_TRC_BT709
        if format.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER != 0 {
            c.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER
        }
        if codecName == "libx264" {
            try LibAV.check(av_opt_set(c.pointee.priv_data, "preset", settings.preset, 0), "av_opt_set(preset)", path: path)
            try LibAV.check(av_opt_set(c.pointee.priv_data, "crf", String(settings.crf), 0), "av_opt_set(crf)", path: path)
            if let tune = settings.tune {
                try LibAV.check(av_opt_set(c.pointee.priv_data, "tune", tune, 0), "av_opt_set(tune)", path: path)
            }
        } else {
            c.pointee.flags |= AV_CODEC_FLAG_QSCALE
            c.pointee.global_quality = Int32(settings.mpeg4QScale) * FF_QP2LAMBDA
        }
        try LibAV.check(avcodec_open2(c, encoder, nil), "avcodec_open2(\(codecName))", path: path)

        try LibAV.check(avcodec_parameters_from_context(stream.pointee.codecpar, c),
                        "avcodec_parameters_from_context", path: path)
        stream.pointee.time_base = c.pointee.time_base
        stream.pointee.avg_frame_rate = c.pointee.framerate
        stream.pointee.r_frame_rate = c.pointee.framerate

        try LibAV.check(avio_open(&format.pointee.pb, path, AVIO_FLAG_WRITE), "avio_open", path: path)
        fileOpen = true
        var options: OpaquePointer?
        defer { av_dict_free(&options) }
        // The index (moov) goes before the media data so players can start before the download ends.
        av_dict_set(&options, "movflags", "+faststart", 0)
        // The track's clock ticks at the frame rate's numerator (60 for 60/1, 30000 for
        // 30000/1001) instead of the muxer's default multiple of it, so timestamps stay exact.
        av_dict_set(&options, "video_track_timescale", String(frameRate.numerator), 0)
        try LibAV.check(avformat_write_header(format, &options), "avformat_write_header", path: path)
    }

    /// Encodes one frame and writes whatever packets the encoder has ready.
    func encode(_ frame: YUVFrame) throws(EncodeError) {
        try LibAV.check(avcodec_send_frame(codec, frame.frame), "avcodec_send_frame", path: path)
        try drainPackets()
    }

    /// Flushes the encoder's delayed frames, writes the index and closes the file.
    func finish() throws(EncodeError) {
        try LibAV.check(avcodec_send_frame(codec, nil), "avcodec_send_frame(flush)", path: path)
        try drainPackets()
        try LibAV.check(av_write_trailer(format), "av_write_trailer", path: path)
        close()
    }

    /// Closes the file without an index (abandoned clips are deleted anyway).
    func close() {
        guard fileOpen else { return }
        avio_closep(&format.pointee.pb)
        fileOpen = false
    }

    private func drainPackets() throws(EncodeError) {
        while true {
            let received = avcodec_receive_packet(codec, packet)
            if received == LibAV.tryAgain || received == LibAV.endOfFile { return }
            try LibAV.check(received, "avcodec_receive_packet", path: path)
            if packet.pointee.duration == 0 { packet.pointee.duration = 1 }
            av_packet_rescale_ts(packet, codec.pointee.time_base, stream.pointee.time_base)
            packet.pointee.stream_index = stream.pointee.index
            // Takes the packet's reference, leaving `packet` blank for the next receive.
            try LibAV.check(av_interleaved_write_frame(format, packet), "av_interleaved_write_frame", path: path)
            packetsWritten += 1
        }
    }
}
