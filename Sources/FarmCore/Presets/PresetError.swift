/// Why a preset stack or catalog was refused.
public enum PresetError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownPreset(name: String, known: [String])
    /// A scene runs one physics manager; two physics presets in one stack contradict each other.
    case conflictingPhysicsPresets(first: String, second: String)
    case invalidCatalog(reason: String)

    public var description: String {
        switch self {
        case let .unknownPreset(name, known):
            return "unknown preset '\(name)'; known presets: \(known.joined(separator: ", "))"
        case let .conflictingPhysicsPresets(first, second):
            return "presets '\(first)' and '\(second)' both choose the physics manager; "
                + "a stack takes at most one physics preset"
        case let .invalidCatalog(reason):
            return "invalid preset catalog: \(reason)"
        }
    }
}
