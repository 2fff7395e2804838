/// A workflow, task or run name checked to be exactly one safe folder name.
public struct PathComponent: Sendable, Hashable, CustomStringConvertible {
    public let field: PathField
    public let value: String

    /// Linux's NAME_MAX (`<linux/limits.h>`): the bytes one path component may hold; UTF-8 counts, so
    /// `'é'*200` (400 bytes) is too long although it is 200 characters.
    public static let maxBytes = 255

    /// Refuses names that are empty, longer than `maxBytes` in UTF-8, `.` or `..`, or contain `/`, NUL
    /// or control characters (C0, DEL and C1: they break terminals, logs and shell scripts even where
    /// the filesystem allows them).
    public init(_ value: String, field: PathField) throws(LayoutError) {
        if value.isEmpty { throw .empty(field) }
        if value.utf8.count > Self.maxBytes { throw .tooLong(field, value: value, bytes: value.utf8.count) }
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
