import Testing
@testable import FarmCore

@Test(arguments: [
    (1.0 / 60, 60, 1), (1.0 / 30, 30, 1), (0.016666666, 60, 1), (1.0 / 120, 120, 1),
    (1001.0 / 30000, 30000, 1001), (0.04, 25, 1), (0.5, 2, 1), (2.0, 1, 2),
] as [(Double, Int, Int)])
func frameRateIsTheExactRationalOfOneOverStepDT(stepDT: Double, numerator: Int, denominator: Int) throws {
    let rate = try FrameRate(stepDT: stepDT)
    #expect(rate.numerator == numerator && rate.denominator == denominator)
}

/// Issue 19, finding 1: a rate outside the farm's range is a typed refusal, and the continued
/// fraction is total whatever it is given (it used to trap on values with no Int).
@Test(arguments: [1e-300, .leastNonzeroMagnitude, 1e-10, 0, -1, .nan, .infinity, 1e300, 1000.5])
func stepDTOutsideTheRangeIsRefused(stepDT: Double) {
    #expect(throws: FrameRateError.self) { try FrameRate(stepDT: stepDT) }
}

@Test(arguments: [1e300, .infinity, .nan, 0, -5, 1e-300, Double(Int.max), 9.3e18])
func approximateIsTotal(value: Double) {
    let rate = FrameRate.approximate(value, maxDenominator: 1001)
    #expect(rate.numerator >= 1 && rate.denominator >= 1)
}

@Test func theRangeEndsArePlayable() throws {
    #expect(try FrameRate(stepDT: 0.001) == FrameRate(numerator: 1000, denominator: 1))
    #expect(try FrameRate(stepDT: 1000) == FrameRate(numerator: 1, denominator: 1000))
    #expect(throws: FrameRateError.self) { try FrameRate(numerator: 1 << 31, denominator: 1).checked(field: "fps") }
}
