/// The first frame of every message: "FARM" followed by a two-digit protocol version.
public enum ProtocolVersion {
    public static let magic = "FARM"
    public static let current = 1
    /// The header frame this build sends: "FARM01".
    public static let header = "FARM01"

    /// Parses a header frame: nil when it does not start with "FARM" and two digits.
    static func version(ofHeader text: String) -> Int? {
        guard text.count == 6, text.hasPrefix(magic) else { return nil }
        let digits = text.dropFirst(4)
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }
}
