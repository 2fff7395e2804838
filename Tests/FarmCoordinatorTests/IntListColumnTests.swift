import Foundation
import Testing
@testable import FarmCoordinator

/// The steps column's own reader and writer agree with JSON, and refuse (for the JSON fallback)
/// anything that is not a plain array of integers.
struct IntListColumnTests {
    @Test(arguments: [[], [0], [7, 8, 9], [-3, 0, 41], [Int.max, Int.min + 1], Array(0..<500)])
    func writesWhatJSONReadsAndReadsItBack(values: [Int]) throws {
        let text = IntListColumn.text(values)
        #expect(try JSONDecoder().decode([Int].self, from: Data(text.utf8)) == values)
        #expect(IntListColumn.values(text) == values)
    }

    @Test(arguments: ["", "[", "[1,]", "[,1]", "[1 ,2]", "[ 1]", "[1.5]", "[\"1\"]", "[-]", "[99999999999999999999]", "1,2"])
    func anythingElseIsLeftToTheJSONDecoder(text: String) {
        #expect(IntListColumn.values(text) == nil)
    }
}
