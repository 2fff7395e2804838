import FarmCore
import FarmEncode
import Testing

/// This worker's encoder, libav and disk may differ elsewhere; sizes and frame sequences the request
/// gives are wrong everywhere.
@Suite struct EncodeRetryVerdictTests {
    @Test func encoderTroubleIsRetriedElsewhereAndBadInputsAreNot() {
        let table: [(EncodeError, Bool)] = [
            (.invalidSettings("crf 99 is outside 0…51"), true),
            (.encoderUnavailable("libx264"), true),
            (.libav(call: "avcodec_open2", path: "/tmp/a.mp4", code: -22, message: "Invalid argument"), true),
            (.fileSystem(operation: "rename", path: "/tmp/a.mp4", message: "No space left on device"), true),
            (.oddSize(width: 641, height: 480), false),
            (.invalidSize(width: 0, height: 480), false),
            (.frameSizeMismatch(frameIndex: 3, expected: "640x480", got: "320x240"), false),
            (.mixedFrameFormats(frameIndex: 1, expected: "RGB", got: "I420"), false),
            (.noFrames(path: "/tmp/a.mp4"), false),
            (.closed(path: "/tmp/a.mp4"), false),
        ]
        for (error, verdict) in table {
            #expect(retryElsewhere(after: error) == verdict, "\(error)")
        }
    }
}
