/// A workflow, task or run name checked to be exactly one safe folder name.
public struct PathComponent: Sendable, Hashable, CustomStringConvertible {
    public let field: PathField
    public let value: String

    /// Refuses names that are empty, `.` or `..`, or contain `/`, NUL or control characters (C0, DEL
    /// and C1: they break terminals, logs and shell scripts even where the filesystem allows them).
    public init(_ value: String, field: PathField) throws(LayoutError) {
        if value.isEmpty { throw .empty(field) }
        if value == "." || value == ".." { throw .dotComponent(field, value: value) }
        for scalar in value.unicodeScalars {
            if scalar == "\0" { throw .containsNUL(field, value: value) }
            if scalar == "/" { throw .containsSlash(field, value: value) }
            if scalar.properties.generalCategory == .control {
                throw .containsControlCharacter(field, value: value, scalar: scalar.value)
            }
        }
        self.field = field
        self.value = value
    }

    public var description: String { value }
}
