import CLibAV
import FarmCore

/// An owned, reusable yuv420p `AVFrame`: the colour converter (or `copy(from:)`) fills it, the
/// encoder reads it, and it goes back to the pool. Only one thread holds a given frame at a time (the queues hand it
/// over), which is why it can cross threads.
final class YUVFrame: @unchecked Sendable {
    let frame: UnsafeMutablePointer<AVFrame>

    init(width: Int, height: Int, path: String) throws(EncodeError) {
        guard let frame = av_frame_alloc() else {
            throw .libav(call: "av_frame_alloc", path: path, code: -ENOMEM, message: "out of memory")
        }
        self.frame = frame
        frame.pointee.format = AV_PIX_FMT_YUV420P.rawValue
        frame.pointee.width = Int32(width)
        frame.pointee.height = Int32(height)
        try LibAV.check(av_frame_get_buffer(frame, 0), "av_frame_get_buffer", path: path)
    }

    deinit {
        var frame: UnsafeMutablePointer<AVFrame>? = frame
        av_frame_free(&frame)
    }

    /// `AVFrame.data` and `AVFrame.linesize` as the C arrays swscale writes through (Swift
    /// imports them as tuples).
    var planes: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?> {
        (UnsafeMutableRawPointer(frame) + MemoryLayout<AVFrame>.offset(of: \AVFrame.data)!)
            .assumingMemoryBound(to: UnsafeMutablePointer<UInt8>?.self)
    }

    var strides: UnsafeMutablePointer<Int32> {
        (UnsafeMutableRawPointer(frame) + MemoryLayout<AVFrame>.offset(of: \AVFrame.linesize)!)
            .assumingMemoryBound(to: Int32.self)
    }

    var presentationIndex: Int64 {
        get { frame.pointee.pts }
        set { frame.pointee.pts = newValue }
    }

    /// The encoder may still reference the planes of a frame it was given; this gives the frame
    /// planes of its own again (a no-op when nobody else holds them).
    func makeWritable(path: String) throws(EncodeError) {
        try LibAV.check(av_frame_make_writable(frame), "av_frame_make_writable", path: path)
    }

    /// Copies an I420 frame of the same size into the planes, row by row (libav pads its rows).
    func copy(from source: YUV420Frame) {
        let offsets = source.planeOffsets
        let planes = [(offsets.y, source.width, source.height),
                      (offsets.u, source.width / 2, source.height / 2),
                      (offsets.v, source.width / 2, source.height / 2)]
        source.bytes.withUnsafeBufferPointer { bytes in
            for (plane, (offset, rowBytes, rows)) in planes.enumerated() {
                guard let destination = self.planes[plane] else { continue }
                let stride = Int(strides[plane])
                for row in 0..<rows {
                    (destination + row * stride).update(from: bytes.baseAddress! + offset + row * rowBytes, count: rowBytes)
                }
            }
        }
    }
}
