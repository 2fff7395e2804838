/// A clip's frame rate as an exact rational, as containers store it (`render_fps = 1/step_dt`).
public struct FrameRate: Hashable, Sendable, Codable, CustomStringConvertible {
    public let numerator: Int
    public let denominator: Int

    public init(numerator: Int, denominator: Int) {
        precondition(numerator > 0 && denominator > 0, "frame rate must be positive")
        let divisor = Self.gcd(numerator, denominator)
        self.numerator = numerator / divisor
        self.denominator = denominator / divisor
    }

    /// The rational closest to `1/stepDT` with a denominator of at most 1001 (covers 30000/1001):
    /// a `step_dt` of 1/60 written as a decimal still gives exactly 60/1.
    public init(stepDT: Double) {
        precondition(stepDT > 0 && stepDT.isFinite, "step_dt must be positive")
        self = Self.approximate(1 / stepDT, maxDenominator: 1001)
    }

    public var fps: Double { Double(numerator) / Double(denominator) }
    public var description: String { denominator == 1 ? "\(numerator)" : "\(numerator)/\(denominator)" }

    /// Best rational approximation by continued fractions.
    static func approximate(_ value: Double, maxDenominator: Int) -> FrameRate {
        var (h0, h1, k0, k1) = (0, 1, 1, 0)
        var x = value
        for _ in 0..<64 {
            let a = Int(x.rounded(.down))
            let (h2, k2) = (a * h1 + h0, a * k1 + k0)
            if k2 > maxDenominator { break }
            (h0, h1, k0, k1) = (h1, h2, k1, k2)
            let fraction = x - Double(a)
            if fraction < 1e-9 { break }
            x = 1 / fraction
        }
        return FrameRate(numerator: max(h1, 1), denominator: max(k1, 1))
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}
