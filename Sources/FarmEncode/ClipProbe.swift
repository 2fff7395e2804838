import CLibAV
import FarmCore
import Foundation

/// What libavformat reads from a finished clip held in memory: the container, the first video
/// stream's codec, size and frame rate, and how many frames it holds (video packets read to the
/// end, which for the farm's intra-ordered H.264 and MPEG-4 Part 2 is one per frame). The
/// coordinator checks every RESULT with it before filing. libav's pointers never leave this file.
public struct ClipProbe: Sendable, Equatable {
    /// libavformat's short name for the demuxer that accepted the data (`mov,mp4,m4a,3gp,3g2,mj2`).
    public var container: String
    /// The codec's short name (`h264`, `mpeg4`).
    public var codec: String
    public var width: Int
    public var height: Int
    public var frames: Int
    /// The stream's average frame rate, nil when the file does not say.
    public var frameRate: FrameRate?

    public init(container: String, codec: String, width: Int, height: Int, frames: Int, frameRate: FrameRate?) {
        self.container = container
        self.codec = codec
        self.width = width
        self.height = height
        self.frames = frames
        self.frameRate = frameRate
    }

    /// True when libavformat took the data as an ISO media (MP4) file.
    public var isMP4: Bool { container.split(separator: ",").contains("mp4") }

    /// Probes `data`; `name` only labels errors.
    public static func probe(_ data: Data, name: String) throws(EncodeError) -> ClipProbe {
        let source = MemorySource(data)
        let bufferSize = 64 * 1024
        guard let buffer = av_malloc(bufferSize) else {
            throw .libav(call: "av_malloc", path: name, code: -ENOMEM, message: LibAV.message(for: -ENOMEM))
        }
        let opaque = Unmanaged.passRetained(source).toOpaque()
        defer { Unmanaged<MemorySource>.fromOpaque(opaque).release() }
        var io: UnsafeMutablePointer<AVIOContext>? = avio_alloc_context(
            buffer.assumingMemoryBound(to: UInt8.self), Int32(bufferSize), 0, opaque, MemorySource.read, nil, MemorySource.seek)
        guard let context = io else {
            av_free(buffer)
            throw .libav(call: "avio_alloc_context", path: name, code: -ENOMEM, message: LibAV.message(for: -ENOMEM))
        }
        // The context's buffer may have been replaced by libav; free whichever it holds now.
        defer {
            av_freep(&context.pointee.buffer)
            avio_context_free(&io)
        }
        guard let format = avformat_alloc_context() else {
            throw .libav(call: "avformat_alloc_context", path: name, code: -ENOMEM, message: LibAV.message(for: -ENOMEM))
        }
        format.pointee.pb = context
        format.pointee.flags |= AVFMT_FLAG_CUSTOM_IO
        // On failure avformat_open_input frees the context and nils the pointer.
        var opened: UnsafeMutablePointer<AVFormatContext>? = format
        try LibAV.check(avformat_open_input(&opened, nil, nil, nil), "avformat_open_input", path: name)
        defer { avformat_close_input(&opened) }
        try LibAV.check(avformat_find_stream_info(format, nil), "avformat_find_stream_info", path: name)
        let index = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        guard index >= 0, let stream = format.pointee.streams[Int(index)], let parameters = stream.pointee.codecpar else {
            throw .libav(call: "av_find_best_stream(video)", path: name, code: index, message: "no video stream")
        }
        let container = format.pointee.iformat.map { String(cString: $0.pointee.name) } ?? "unknown"
        let codec = String(cString: avcodec_get_name(parameters.pointee.codec_id))
        let rate = stream.pointee.avg_frame_rate
        let frameRate = rate.num > 0 && rate.den > 0 ? FrameRate(numerator: Int(rate.num), denominator: Int(rate.den)) : nil
        var allocated = av_packet_alloc()
        guard let packet = allocated else {
            throw .libav(call: "av_packet_alloc", path: name, code: -ENOMEM, message: LibAV.message(for: -ENOMEM))
        }
        defer { av_packet_free(&allocated) }
        var frames = 0
        while true {
            let status = av_read_frame(format, packet)
            if status == LibAV.endOfFile { break }
            try LibAV.check(status, "av_read_frame", path: name)
            if packet.pointee.stream_index == index { frames += 1 }
            av_packet_unref(packet)
        }
        return ClipProbe(container: container, codec: codec, width: Int(parameters.pointee.width),
                         height: Int(parameters.pointee.height), frames: frames, frameRate: frameRate)
    }
}

/// The bytes libavformat reads through its custom I/O callbacks.
private final class MemorySource {
    let data: Data
    var position = 0

    init(_ data: Data) { self.data = data }

    static let read: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt8>?, Int32) -> Int32 = { opaque, buffer, size in
        let source = Unmanaged<MemorySource>.fromOpaque(opaque!).takeUnretainedValue()
        let count = min(Int(size), source.data.count - source.position)
        guard count > 0, let buffer else { return LibAV.endOfFile }
        source.data.withUnsafeBytes { bytes in
            buffer.update(from: bytes.baseAddress!.advanced(by: source.position).assumingMemoryBound(to: UInt8.self), count: count)
        }
        source.position += count
        return Int32(count)
    }

    static let seek: @convention(c) (UnsafeMutableRawPointer?, Int64, Int32) -> Int64 = { opaque, offset, whence in
        let source = Unmanaged<MemorySource>.fromOpaque(opaque!).takeUnretainedValue()
        let size = Int64(source.data.count)
        let target: Int64
        switch whence & ~AVSEEK_FORCE {
        case AVSEEK_SIZE: return size
        case SEEK_SET: target = offset
        case SEEK_CUR: target = Int64(source.position) + offset
        case SEEK_END: target = size + offset
        default: return -Int64(EINVAL)
        }
        guard (0...size).contains(target) else { return -Int64(EINVAL) }
        source.position = Int(target)
        return target
    }
}
