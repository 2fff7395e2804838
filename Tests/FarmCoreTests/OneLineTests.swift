import FarmCore
import Testing

/// Peer text on one line: what breaks a line or reorders a terminal is escaped, the rest kept.
struct OneLineTests {
    @Test(arguments: [
        ("plain text", "plain text", nil),
        ("ünïcode ✓", "ünïcode ✓", nil),
        ("a\nb", "a\\u{000A}b", 0x0A),
        ("tab\there", "tab\\u{0009}here", 0x09),
        ("nul\u{0}", "nul\\u{0000}", 0x00),
        ("del\u{7F}", "del\\u{007F}", 0x7F),
        ("c1\u{85}", "c1\\u{0085}", 0x85),
        ("rtl\u{202E}gnp.exe", "rtl\\u{202E}gnp.exe", 0x202E),
        ("isolate\u{2066}x", "isolate\\u{2066}x", 0x2066),
    ] as [(String, String, UInt32?)])
    func escapes(text: String, escaped: String, forbidden: UInt32?) {
        #expect(OneLine.escaped(text) == escaped)
        #expect(OneLine.forbiddenScalar(in: text)?.value == forbidden)
    }
}
