import FarmWire

/// Why the coordinator could not start or had to stop.
public enum CoordinatorError: Error, CustomStringConvertible {
    case socket(SocketError)
    case store(StoreError)
    case stateDirectory(path: String, reason: String)
    case unexpected(String)

    public var description: String {
        switch self {
        case .socket(let error): "\(error)"
        case .store(let error): "\(error) (the coordinator stops rather than lose track of jobs)"
        case let .stateDirectory(path, reason): "state directory \(path): \(reason)"
        case .unexpected(let reason): "stopped on an unexpected error: \(reason)"
        }
    }
}
