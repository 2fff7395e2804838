import Testing
@testable import FarmCore

@Test(arguments: [
    (1.0 / 60, 60, 1), (1.0 / 30, 30, 1), (0.016666666, 60, 1), (1.0 / 120, 120, 1),
    (1001.0 / 30000, 30000, 1001), (0.04, 25, 1), (0.5, 2, 1), (2.0, 1, 2),
] as [(Double, Int, Int)])
func frameRateIsTheExactRationalOfOneOverStepDT(stepDT: Double, numerator: Int, denominator: Int) {
    let rate = FrameRate(stepDT: stepDT)
    #expect(rate.numerator == numerator && rate.denominator == denominator)
}
