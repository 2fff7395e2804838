/// Why the monitoring server could not start.
public enum MonitorError: Error, Equatable, CustomStringConvertible {
    case badAddress(String, reason: String)
    case cannotListen(String, reason: String)

    public var description: String {
        switch self {
        case let .badAddress(text, reason): "--metrics-address '\(text)': \(reason)"
        case let .cannotListen(address, reason): "cannot serve metrics on \(address): \(reason)"
        }
    }
}
