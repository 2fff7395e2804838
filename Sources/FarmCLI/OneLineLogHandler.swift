import FarmCore
import Logging

/// The daemons' log output: swift-log's standard-error lines, each kept to one line. A message or
/// metadata value that carries text from a peer (a worker's error, a client's file name) has its
/// control characters and bidirectional overrides escaped (`OneLine`), so no peer can forge a line
/// or reorder what a terminal shows.
public struct OneLineLogHandler: LogHandler {
    private var output: StreamLogHandler

    public init(label: String, level: Logger.Level) {
        output = StreamLogHandler.standardError(label: label)
        output.logLevel = level
    }

    public var logLevel: Logger.Level {
        get { output.logLevel }
        set { output.logLevel = newValue }
    }

    public var metadata: Logger.Metadata {
        get { output.metadata }
        set { output.metadata = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { output[metadataKey: key] }
        set { output[metadataKey: key] = newValue }
    }

    public func log(event: LogEvent) {
        var event = event
        event.message = "\(OneLine.escaped(event.message.description))"
        event.metadata = event.metadata?.mapValues { .string(OneLine.escaped($0.description)) }
        output.log(event: event)
    }
}
