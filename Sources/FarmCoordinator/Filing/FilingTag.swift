import Foundation

/// The name part that marks a filing temporary as this state directory's (16 lowercase hex digits,
/// kept in `<state-dir>/filing-tag`). Only one coordinator holds a state directory at a time, so a
/// temporary with the tag that exists at start-up is a killed coordinator's leftover, while another
/// farm's coordinator writing into the same logs root has a different tag and is left alone.
public enum FilingTag {
    static let fileName = "filing-tag"

    public static func random() -> String {
        String(format: "%016llx", UInt64.random(in: 0...UInt64.max))
    }

    /// The state directory's tag, created on first use.
    public static func load(stateDirectory: String) throws -> String {
        let path = (stateDirectory as NSString).appendingPathComponent(fileName)
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            let tag = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if isValid(tag) { return tag }
        }
        let tag = random()
        try Data((tag + "\n").utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        return tag
    }

    static func isValid(_ tag: String) -> Bool {
        tag.count == 16 && tag.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }
}
