import Testing
@testable import FarmMonitor

struct ByteRangeTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let header: String?
        let size: Int
        let expected: ByteRange
        var testDescription: String { "\(header ?? "nil") of \(size)" }
    }

    @Test(arguments: [
        Case(header: nil, size: 100, expected: .whole),
        Case(header: "bytes=0-", size: 100, expected: .partial(0...99)),
        Case(header: "bytes=0-1", size: 100, expected: .partial(0...1)),
        Case(header: "bytes=10-19", size: 100, expected: .partial(10...19)),
        Case(header: "bytes=90-200", size: 100, expected: .partial(90...99)),
        Case(header: "bytes=-10", size: 100, expected: .partial(90...99)),
        Case(header: "bytes=-500", size: 100, expected: .partial(0...99)),
        Case(header: "bytes=100-", size: 100, expected: .unsatisfiable),
        Case(header: "bytes=150-160", size: 100, expected: .unsatisfiable),
        Case(header: "bytes=-0", size: 100, expected: .unsatisfiable),
        Case(header: "bytes=0-", size: 0, expected: .unsatisfiable),
        Case(header: "bytes=20-10", size: 100, expected: .whole),
        Case(header: "bytes=0-1,5-6", size: 100, expected: .whole),
        Case(header: "items=0-1", size: 100, expected: .whole),
        Case(header: "bytes=a-b", size: 100, expected: .whole),
        Case(header: "bytes=-", size: 100, expected: .whole),
        Case(header: "bytes=--5", size: 100, expected: .whole),
    ])
    func parses(_ c: Case) {
        #expect(ByteRange(header: c.header, size: c.size) == c.expected)
    }
}
