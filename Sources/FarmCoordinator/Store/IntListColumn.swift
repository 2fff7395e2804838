/// A column holding `[Int]` as a JSON array (`[0,1,2]`; SQLite's json functions read it), written
/// and read without Foundation's JSON coders: a 20,000-clip job writes and reads 20,000 of them in
/// one request, and the coders' per-call cost held the loop for seconds.
enum IntListColumn {
    static func text(_ values: [Int]) -> String {
        "[" + values.map(String.init).joined(separator: ",") + "]"
    }

    /// The integers of a plain JSON array of integers; nil for anything else (the caller falls
    /// back to a full JSON decoder).
    static func values(_ text: String) -> [Int]? {
        let bytes = Array(text.utf8)
        guard bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]") else { return nil }
        var values: [Int] = []
        var index = 1
        let end = bytes.count - 1
        guard index < end else { return [] }
        while index < end {
            var negative = false
            if bytes[index] == UInt8(ascii: "-") {
                negative = true
                index += 1
            }
            var value = 0
            var digits = 0
            while index < end, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
                let (next, overflowB) = shifted.addingReportingOverflow(Int(bytes[index] - UInt8(ascii: "0")))
                guard !overflowA, !overflowB else { return nil }
                value = next
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            values.append(negative ? -value : value)
            if index < end {
                guard bytes[index] == UInt8(ascii: ","), index + 1 < end else { return nil }
                index += 1
            }
        }
        return values
    }
}
