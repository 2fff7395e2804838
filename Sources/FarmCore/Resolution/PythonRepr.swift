/// Python's `repr` of strings and lists of strings, so messages that Isaac Lab formats with `%s`
/// on a list read the same here (`['viser', 'rerun']`).
enum PythonRepr {
    static func list(_ items: [String]) -> String {
        "[" + items.map(string).joined(separator: ", ") + "]"
    }

    /// Single quotes unless the text holds a single quote and no double quote, as CPython chooses.
    static func string(_ text: String) -> String {
        let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where Character(scalar) == quote: out += "\\" + String(quote)
            case _ where isPrintable(scalar): out.unicodeScalars.append(scalar)
            default: out += escaped(scalar)
            }
        }
        out.append(quote)
        return out
    }

    /// Approximates `str.isprintable()`: controls, separators other than space, format characters,
    /// surrogates, unassigned and private-use code points are escaped.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned,
             .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default:
            return true
        }
    }

    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        let value = scalar.value
        let (prefix, width) = value <= 0xFF ? ("\\x", 2) : value <= 0xFFFF ? ("\\u", 4) : ("\\U", 8)
        let hex = String(value, radix: 16)
        return prefix + String(repeating: "0", count: width - hex.count) + hex
    }
}
