import Testing
@testable import FarmCore

/// Each rollout error's verdict, case by case: only a file this worker cannot open may open elsewhere.
@Suite struct RetryVerdictTests {
    @Test func rolloutErrorsAreRetriedElsewhereOnlyWhenTheFileCannotBeOpened() {
        let table: [(RolloutError, Bool)] = [
            (.cannotOpen(path: "/mnt/a.rlt", reason: "no such file"), true),
            (.badMagic(found: "ABC"), false),
            (.truncated(section: "body_q", expectedBytes: 10, availableBytes: 5), false),
            (.sizeMismatch(expectedTotal: 10, actualTotal: 9, layout: "x"), false),
            (.headerNotJSON(reason: "x"), false),
            (.missingField("steps"), false),
            (.wrongType(field: "steps", expected: "an integer"), false),
            (.invalidValue(field: "steps", reason: "must be positive"), false),
            (.unsupportedVersion(9), false),
            (.unknownShapeType(field: "shapes[0].type", type: "torus"), false),
            (.nonFiniteBodyPose(step: 1, body: 2, component: 3), false),
            (.nonFiniteBodyPoses(step: 1, body: 2, component: 3, count: 4), false),
            (.stepsOutOfRange(requested: 0..<5, available: 1..<3), false),
            (.meshOutOfRange(field: "meshes[0]", reason: "x"), false),
        ]
        for (error, verdict) in table {
            #expect(error.retryElsewhere == verdict, "\(error)")
            #expect(retryElsewhere(after: error) == verdict, "\(error)")
        }
    }

    @Test func anErrorWithoutAVerdictIsThisWorkersTrouble() {
        struct Unknown: Error {}
        #expect(retryElsewhere(after: Unknown()))
        #expect(retryElsewhere(after: CancellationError()))
    }
}
