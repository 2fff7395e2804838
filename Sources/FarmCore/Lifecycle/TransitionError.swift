/// An event that the current state does not allow: a bug in the caller or a message out of order.
public struct TransitionError: Error, Equatable, Sendable, CustomStringConvertible {
    public let machine: String
    public let state: String
    public let event: String

    public init(machine: String, state: String, event: String) {
        self.machine = machine
        self.state = state
        self.event = event
    }

    public var description: String { "\(machine) in state '\(state)' cannot take event '\(event)'" }
}
