/// A parsed JSON value (RFC 8259), as the rollout header is read: numbers are Doubles (a whole
/// number is read back with `Int(exactly:)`), booleans are not numbers.
enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}
