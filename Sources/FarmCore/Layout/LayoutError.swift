/// A name refused because, as a path component, it could leave the logs root or is unusable.
public enum LayoutError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty(PathField)
    case containsSlash(PathField, value: String)
    case dotComponent(PathField, value: String)
    case containsNUL(PathField, value: String)
    case containsControlCharacter(PathField, value: String, scalar: UInt32)
    case emptyLogsRoot
    /// A name over `PathComponent.maxBytes` UTF-8 bytes.
    case tooLong(PathField, value: String, bytes: Int)
    /// A video folder so deep that a clip path in it could pass `RunLayout.maxPathBytes`.
    case pathTooLong(directory: String, bytes: Int)

    public var description: String {
        switch self {
        case let .empty(field):
            "\(field.rawValue) name is empty"
        case let .containsSlash(field, value):
            "\(field.rawValue) name \(Self.quoted(value)) contains '/' and would not be a single folder"
        case let .dotComponent(field, value):
            "\(field.rawValue) name \(Self.quoted(value)) is '.' or '..' and would leave its folder"
        case let .containsNUL(field, value):
            "\(field.rawValue) name \(Self.quoted(value)) contains a NUL byte"
        case let .containsControlCharacter(field, value, scalar):
            "\(field.rawValue) name \(Self.quoted(value)) contains the control character U+\(OneLine.hex(scalar))"
        case .emptyLogsRoot:
            "logs root is empty"
        case let .tooLong(field, value, bytes):
            "\(field.rawValue) name \(Self.quoted(Self.abbreviated(value))) is \(bytes) bytes in UTF-8; a file name "
                + "may hold at most \(PathComponent.maxBytes) (NAME_MAX)"
        case let .pathTooLong(directory, bytes):
            "the clip folder \(Self.quoted(Self.abbreviated(directory))) is \(bytes) bytes long; with a clip file "
                + "name of up to \(PathComponent.maxBytes) bytes its paths could pass PATH_MAX (\(RunLayout.maxPathBytes) "
                + "bytes with the terminating NUL): use a shorter logs root, workflow, task or run name"
        }
    }

    /// A long name's first 40 characters, so the message stays readable.
    private static func abbreviated(_ value: String) -> String {
        value.count > 40 ? String(value.prefix(40)) + "…" : value
    }

    /// Names are shown with control characters escaped, so the message itself stays on one line.
    private static func quoted(_ value: String) -> String { "'" + OneLine.escaped(value) + "'" }
}
