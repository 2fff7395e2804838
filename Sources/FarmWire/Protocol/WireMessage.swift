import Foundation

/// The untyped layer: header, command word, JSON body, binary frames. Typed messages
/// (`WorkerMessage`, `CoordinatorMessage`, `ClientRequest`, `ClientReply`) are built on it.
public struct WireMessage: Sendable, Equatable {
    public var command: String
    public var body: Data
    public var binaries: [Data]

    public init(command: String, body: Data, binaries: [Data] = []) {
        self.command = command
        self.body = body
        self.binaries = binaries
    }

    public init<Body: Encodable>(_ command: Command, _ body: Body, binaries: [Data] = []) {
        self.init(command: command.rawValue, body: WireJSON.encode(body), binaries: binaries)
    }

    /// [header "FARM01", command, JSON body, binary frames…].
    public var frames: [Data] {
        [Data(ProtocolVersion.header.utf8), Data(command.utf8), body] + binaries
    }

    /// Checks framing, version and sizes; the command word is not interpreted here.
    /// An ERROR under another version's header is accepted (its layout is frozen), so a
    /// version-mismatch reply is readable by the side that is out of date.
    public static func parse(_ frames: [Data], limits: WireLimits = .standard) throws(ProtocolError) -> WireMessage {
        guard frames.count >= 3 else { throw .tooFewFrames(count: frames.count) }
        for index in 0..<2 where frames[index].count > limits.maxWordBytes {
            throw .frameTooLarge(index: index, bytes: frames[index].count, limit: limits.maxWordBytes)
        }
        let header = printable(frames[0])
        guard let version = ProtocolVersion.version(ofHeader: header) else { throw .malformedHeader(found: header) }
        let command = printable(frames[1])
        if version != ProtocolVersion.current && command != Command.error.rawValue {
            throw .wrongVersion(found: version, supported: ProtocolVersion.current)
        }
        if frames[2].count > limits.maxJSONBytes {
            throw .frameTooLarge(index: 2, bytes: frames[2].count, limit: limits.maxJSONBytes)
        }
        let binaries = Array(frames[3...])
        if binaries.count > limits.maxBinaryFrames {
            throw .tooManyFrames(count: binaries.count, limit: limits.maxBinaryFrames)
        }
        for (offset, frame) in binaries.enumerated() where frame.count > limits.maxBinaryFrameBytes {
            throw .frameTooLarge(index: 3 + offset, bytes: frame.count, limit: limits.maxBinaryFrameBytes)
        }
        return WireMessage(command: command, body: frames[2], binaries: binaries)
    }

    /// Decodes the JSON body as `T`, naming the field on failure.
    public func decodeBody<T: Decodable>(_ type: T.Type) throws(ProtocolError) -> T {
        try WireJSON.decode(type, from: body, command: command)
    }

    /// Throws unless exactly `count` binary frames came.
    func expectBinaries(_ count: Int) throws(ProtocolError) {
        if binaries.count < count {
            throw .missingBinaryFrames(command: command, expected: "\(count)", found: binaries.count)
        }
        if binaries.count > count {
            throw .unexpectedBinaryFrames(command: command, expected: count, found: binaries.count)
        }
    }

    /// Frame text for errors and dispatch: ASCII printable kept, anything else shown as "?".
    public static func printable(_ data: Data) -> String {
        String(decoding: data.prefix(64).map { (32...126).contains($0) ? $0 : 63 }, as: UTF8.self)
    }
}
