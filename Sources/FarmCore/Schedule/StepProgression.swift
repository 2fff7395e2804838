/// The steps whose frames a clip holds: `first`, `first + stride`, ..., `count` of them.
public struct StepProgression: RandomAccessCollection, Sendable, Hashable {
    public let first: Int
    public let stride: Int
    public let count: Int

    public init(first: Int, stride: Int = 1, count: Int) {
        precondition(stride >= 1 && count >= 0, "a step progression runs forward and is not negative in length")
        self.first = first
        self.stride = stride
        self.count = count
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    public subscript(position: Int) -> Int {
        precondition(position >= 0 && position < count, "step position \(position) outside 0..<\(count)")
        return first + position * stride
    }

    /// The same progression with every step moved by `delta` (e.g. into env step indices).
    public func shifted(by delta: Int) -> StepProgression {
        StepProgression(first: first + delta, stride: stride, count: count)
    }
}
