/// A failure of the coordinator's state database, naming the file and what was being done.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let operation: String
    public let reason: String

    public init(path: String, operation: String, reason: String) {
        self.path = path
        self.operation = operation
        self.reason = reason
    }

    public var description: String { "state database \(path): \(operation) failed: \(reason)" }
}
