/// A clip's frame rate as an exact rational, as containers store it (`render_fps = 1/step_dt`).
public struct FrameRate: Hashable, Sendable, Codable, CustomStringConvertible {
    public let numerator: Int
    public let denominator: Int

    /// The playback rates the farm accepts, in frames per second: from one frame every 1000 s to
    /// 1000 fps. Every rate that enters the farm (a rollout's `step_dt`, SUBMIT's `fps` and
    /// `render_fps`, a TASK's `fps`) is checked against these where it enters, so every rate inside
    /// has a numerator and denominator that fit the containers' 32-bit time bases.
    public static let fpsRange: ClosedRange<Double> = 0.001...1000
    /// `step_dt` in seconds: one frame per step, so `1/fpsRange`.
    public static let stepDTRange: ClosedRange<Double> = (1 / fpsRange.upperBound)...(1 / fpsRange.lowerBound)
    /// The largest denominator `init(stepDT:)` picks (covers 30000/1001).
    static let maxDenominator = 1001

    public init(numerator: Int, denominator: Int) {
        precondition(numerator > 0 && denominator > 0, "frame rate must be positive")
        let divisor = Self.gcd(numerator, denominator)
        self.numerator = numerator / divisor
        self.denominator = denominator / divisor
    }

    /// The rational closest to `1/stepDT` with a denominator of at most 1001: a `step_dt` of 1/60
    /// written as a decimal still gives exactly 60/1. A `stepDT` outside `stepDTRange` is refused.
    public init(stepDT: Double) throws(FrameRateError) {
        try Self.check(stepDT: stepDT, field: "step_dt")
        self = Self.approximate(1 / stepDT, maxDenominator: Self.maxDenominator)
    }

    /// Refuses a `step_dt` that is not a finite number of seconds inside `stepDTRange`.
    public static func check(stepDT: Double, field: String) throws(FrameRateError) {
        guard stepDTRange.contains(stepDT) else { throw .stepDTOutOfRange(field: field, value: stepDT) }
    }

    /// Refuses a playback rate in frames per second outside `fpsRange` (NaN included).
    public static func check(fps: Double, field: String) throws(FrameRateError) {
        guard fpsRange.contains(fps) else { throw .fpsOutOfRange(field: field, value: fps) }
    }

    /// This rate, refused unless it is inside `fpsRange` (a rate decoded from a peer's message).
    public func checked(field: String) throws(FrameRateError) -> FrameRate {
        guard numerator > 0, denominator > 0 else { throw .fpsOutOfRange(field: field, value: fps) }
        try Self.check(fps: fps, field: field)
        return self
    }

    public var fps: Double { Double(numerator) / Double(denominator) }
    public var description: String { denominator == 1 ? "\(numerator)" : "\(numerator)/\(denominator)" }

    /// Best rational approximation by continued fractions. Total: a value with no Int part, or
    /// whose convergents overflow, stops at the last convergent that fit (1/1 at worst).
    static func approximate(_ value: Double, maxDenominator: Int) -> FrameRate {
        var (h0, h1, k0, k1) = (0, 1, 1, 0)
        var x = value
        for _ in 0..<64 {
            guard let a = Int(exactly: x.rounded(.down)) else { break }
            let (ah, hOverflow) = a.multipliedReportingOverflow(by: h1)
            let (h2, hSumOverflow) = ah.addingReportingOverflow(h0)
            let (ak, kOverflow) = a.multipliedReportingOverflow(by: k1)
            let (k2, kSumOverflow) = ak.addingReportingOverflow(k0)
            if hOverflow || hSumOverflow || kOverflow || kSumOverflow || k2 > maxDenominator { break }
            (h0, h1, k0, k1) = (h1, h2, k1, k2)
            let fraction = x - Double(a)
            if fraction < 1e-9 { break }
            x = 1 / fraction
        }
        return FrameRate(numerator: max(h1, 1), denominator: max(k1, 1))
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}
