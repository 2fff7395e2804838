import CLibAV

/// The one place libav return codes are checked: a negative code becomes an `EncodeError` carrying
/// the call, the file and av_strerror's message.
enum LibAV {
    /// `AVERROR(EAGAIN)` and `AVERROR_EOF` are function-like macros that Swift does not import.
    static let tryAgain: Int32 = -EAGAIN
    static let endOfFile: Int32 = -Int32(bitPattern: UInt32(0x45) | UInt32(0x4F) << 8 | UInt32(0x46) << 16 | UInt32(0x20) << 24)

    /// libx264 prints its statistics at info level on every clip; a worker's log wants warnings and
    /// errors only. libav's log level is process-wide, so this is set once, on first use.
    static let quietInfoLogs: Void = av_log_set_level(AV_LOG_WARNING)

    @discardableResult
    static func check(_ code: Int32, _ call: String, path: String) throws(EncodeError) -> Int32 {
        guard code < 0 else { return code }
        throw .libav(call: call, path: path, code: code, message: message(for: code))
    }

    static func message(for code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 128)
        if av_strerror(code, &buffer, buffer.count) < 0 {
            return "unknown libav error"
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
