/// Text from a peer (a worker's id, a client's key, a file name) shown on one line of a log or a
/// message: control characters (C0, DEL, C1: a newline would start a forged log line) and the
/// bidirectional overrides (which reorder what a terminal shows) are what it must not carry.
public enum OneLine {
    /// The first character `text` must not carry on one line, nil when it has none.
    public static func forbiddenScalar(in text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first(where: isForbidden)
    }

    /// `text` with each forbidden character written as `\u{XXXX}`.
    public static func escaped(_ text: String) -> String {
        guard forbiddenScalar(in: text) != nil else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isForbidden(scalar) {
                out += "\\u{\(hex(scalar.value))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `U+000A`.
    public static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control
            || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }
}
