/// Consecutive body_q rows: for each step, `numBodies` poses of 7 floats (px py pz qx qy qz qw).
public struct BodyPoseRows: Sendable, Equatable {
    public let steps: Range<Int>
    public let numBodies: Int
    public let values: [Float]

    public init(steps: Range<Int>, numBodies: Int, values: [Float]) {
        precondition(values.count == steps.count * numBodies * RolloutFormat.floatsPerPose, "body_q rows size mismatch")
        self.steps = steps
        self.numBodies = numBodies
        self.values = values
    }

    /// The 7 floats of one body at one step.
    public func row(step: Int, body: Int) -> ArraySlice<Float> {
        let start = ((step - steps.lowerBound) * numBodies + body) * RolloutFormat.floatsPerPose
        return values[start..<(start + RolloutFormat.floatsPerPose)]
    }

    public func pose(step: Int, body: Int) -> Pose {
        Pose(components: row(step: step, body: body).map(Double.init))
    }

    /// Rejects NaN and infinities, naming the step, body and component.
    public func validated() throws(RolloutError) -> BodyPoseRows {
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            let perStep = numBodies * RolloutFormat.floatsPerPose
            throw .nonFiniteBodyPose(step: steps.lowerBound + bad / perStep,
                                     body: (bad % perStep) / RolloutFormat.floatsPerPose,
                                     component: bad % RolloutFormat.floatsPerPose)
        }
        return self
    }
}
