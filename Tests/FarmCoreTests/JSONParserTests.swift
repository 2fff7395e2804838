import Foundation
import Testing
@testable import FarmCore

/// The rollout header's JSON reader: RFC 8259, strictly, and nothing a client sends can make it
/// crash or recurse without bound.
struct JSONParserTests {
    @Test(arguments: [
        (#"{}"#, JSONValue.object([:])),
        (#" [ ] "#, .array([])),
        (#"{"a": [1, -2.5, 3e2, 0, -0.0, 1E-3], "b": true, "c": false, "d": null}"#,
         .object(["a": .array([.number(1), .number(-2.5), .number(300), .number(0), .number(-0.0), .number(0.001)]),
                  "b": .bool(true), "c": .bool(false), "d": .null])),
        (#""plain""#, .string("plain")),
        (#""esc \" \\ \/ \b \f \n \r \t""#, .string("esc \" \\ / \u{08} \u{0C} \n \r \t")),
        (#""\u00e9\u4e2d\ud83d\ude00""#, .string("é中😀")),
        ("\"ünï 中\"", .string("ünï 中")),
        (#"{"k": 1, "k": 2}"#, .object(["k": .number(2)])),
        (#"123456789012"#, .number(123456789012)),
    ])
    func parses(text: String, value: JSONValue) throws {
        #expect(try JSONParser.parse(Data(text.utf8)) == value)
    }

    @Test(arguments: [
        "", "   ", "{", "[1,]", "[1 2]", #"{"a" 1}"#, #"{"a":}"#, "{,}", "01", "1.", ".5", "-", "1e", "+1", "NaN",
        "Infinity", "-Infinity", "tru", "nul", #""unterminated"#, "\"tab\there\"", #""\x""#, #""\u12""#, #""\ud800""#,
        #""\ud800\u0041""#, #""\udc00""#, "[1] 2", #"{"a": 1} x"#, #""\u+123""#,
    ])
    func refuses(text: String) {
        #expect(throws: JSONParser.Failure.self, "\(text.debugDescription)") { try JSONParser.parse(Data(text.utf8)) }
    }

    @Test func invalidUTF8IsRefused() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Data([0x22, 0xFF, 0xFE, 0x22])) }
    }

    @Test func nestingIsBounded() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let failure = try #require(throws: JSONParser.Failure.self) { try JSONParser.parse(Data(deep.utf8)) }
        #expect(failure.reason.contains("nested more than \(JSONParser.maxDepth) deep"))
        let allowed = String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth)
        #expect(throws: Never.self) { try JSONParser.parse(Data(allowed.utf8)) }
    }

    /// Whatever Foundation's reader takes from a header, this reads the same.
    @Test func agreesWithFoundationOnARealHeader() throws {
        let object: [String: Any] = ["version": 1, "step_dt": 0.016666666666666666, "names": ["a", "b\n\"c\""],
                                     "track": [[8.0, 0, 5.25], [-1e-7, 3.5e10, 0]], "flag": true, "none": NSNull()]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        guard case .object(let parsed) = try JSONParser.parse(data) else { Issue.record("not an object"); return }
        #expect(parsed["step_dt"] == .number(0.016666666666666666))
        #expect(parsed["names"] == .array([.string("a"), .string("b\n\"c\"")]))
        #expect(parsed["track"] == .array([.array([.number(8), .number(0), .number(5.25)]),
                                           .array([.number(-1e-7), .number(3.5e10), .number(0)])]))
        #expect(parsed["flag"] == .bool(true) && parsed["none"] == .null && parsed["version"] == .number(1))
    }
}
