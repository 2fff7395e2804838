import CLibAV
import Foundation
import Logging
import Testing
@testable import FarmEncode

/// Collects what a logger was told, for checking warnings.
final class CapturedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(Logger.Level, String)] = []

    var warnings: [String] { lock.withLock { entries.filter { $0.0 == .warning }.map(\.1) } }

    func append(_ level: Logger.Level, _ message: String) { lock.withLock { entries.append((level, message)) } }

    var logger: Logger { Logger(label: "test") { _ in Handler(log: self) } }

    struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            log.append(event.level, event.message.description)
        }
    }
}

@Suite struct CodecFallbackTests {
    @Test func libx264IsUsedWhenPresentWithoutAWarning() throws {
        let log = CapturedLog()
        let encoder = try MP4Writer.resolveEncoder(.h264, findEncoder: { avcodec_find_encoder_by_name($0) }, logger: log.logger)
        #expect(String(cString: encoder.pointee.name) == "libx264")
        #expect(log.warnings.isEmpty)
    }

    @Test func missingLibx264FallsBackToMpeg4WithAWarning() throws {
        let log = CapturedLog()
        let withoutX264: (String) -> UnsafePointer<AVCodec>? = { $0 == "libx264" ? nil : avcodec_find_encoder_by_name($0) }
        let encoder = try MP4Writer.resolveEncoder(.h264, findEncoder: withoutX264, logger: log.logger)
        #expect(String(cString: encoder.pointee.name) == "mpeg4")
        #expect(log.warnings.count == 1)
        #expect(log.warnings.first?.contains("libx264 is not available") == true)
    }

    @Test func askingForMpeg4IsNotAFallback() throws {
        let log = CapturedLog()
        let encoder = try MP4Writer.resolveEncoder(.mpeg4, findEncoder: { avcodec_find_encoder_by_name($0) }, logger: log.logger)
        #expect(String(cString: encoder.pointee.name) == "mpeg4")
        #expect(log.warnings.isEmpty)
    }

    @Test func noEncoderAtAllIsAnError() {
        #expect(throws: EncodeError.self) {
            _ = try MP4Writer.resolveEncoder(.h264, findEncoder: { _ in nil }, logger: CapturedLog().logger)
        }
    }
}
