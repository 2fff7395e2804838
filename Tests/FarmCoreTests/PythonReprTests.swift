import Testing
@testable import FarmCore

@Suite("Python repr of visualizer lists")
struct PythonReprTests {
    @Test("Strings as CPython's repr writes them", arguments: [
        ("viser", "'viser'"),
        ("", "''"),
        ("it's", "\"it's\""),
        ("say \"hi\"", "'say \"hi\"'"),
        ("both ' and \"", "'both \\' and \"'"),
        ("back\\slash", "'back\\\\slash'"),
        ("tab\tnew\nline\r", "'tab\\tnew\\nline\\r'"),
        ("bell\u{07}", "'bell\\x07'"),
        ("del\u{7F}", "'del\\x7f'"),
        ("nbsp\u{A0}", "'nbsp\\xa0'"),
        ("café", "'café'"),
        ("zero\u{200B}width", "'zero\\u200bwidth'"),
    ])
    func string(_ input: String, _ expected: String) {
        #expect(PythonRepr.string(input) == expected)
    }

    @Test("Lists")
    func list() {
        #expect(PythonRepr.list([]) == "[]")
        #expect(PythonRepr.list(["viser"]) == "['viser']")
        #expect(PythonRepr.list(["viser", "rerun"]) == "['viser', 'rerun']")
    }
}
