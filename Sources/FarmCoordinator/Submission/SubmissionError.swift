/// A submission the coordinator refuses. `message` goes back to the submitter as is: backend
/// resolution errors are Isaac Lab's own text, verbatim.
public struct SubmissionError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
