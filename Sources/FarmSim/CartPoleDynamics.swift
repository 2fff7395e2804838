import Foundation

/// The classic cart-pole equations of motion (Barto, Sutton & Anderson 1983, as in gymnasium's
/// CartPole), with the pole's mass centre 0.47 m from the hinge like Isaac Gym's cartpole asset.
public struct CartPoleDynamics: Sendable {
    public var gravity = 9.81
    public var cartMass = 1.0
    public var poleMass = 0.1
    /// Hinge to the pole's centre of mass, metres.
    public var poleHalfLength = 0.47
    /// Largest push on the cart, newtons; actions in -1...1 scale it.
    public var forceMagnitude = 10.0

    public init() {}

    public struct State: Sendable, Equatable {
        /// Cart position along the rail (world Y), metres.
        public var cartPosition: Double
        public var cartVelocity: Double
        /// Pole angle from upright, radians; positive tips toward +Y.
        public var poleAngle: Double
        public var poleVelocity: Double

        public init(cartPosition: Double = 0, cartVelocity: Double = 0, poleAngle: Double = 0, poleVelocity: Double = 0) {
            self.cartPosition = cartPosition
            self.cartVelocity = cartVelocity
            self.poleAngle = poleAngle
            self.poleVelocity = poleVelocity
        }
    }

    /// One semi-implicit Euler substep.
    public func step(_ s: State, action: Double, dt: Double) -> State {
        let force = max(-1, min(1, action)) * forceMagnitude
        let totalMass = cartMass + poleMass
        let poleMassLength = poleMass * poleHalfLength
        let (sinA, cosA) = (sin(s.poleAngle), cos(s.poleAngle))
        let temp = (force + poleMassLength * s.poleVelocity * s.poleVelocity * sinA) / totalMass
        let angular = (gravity * sinA - cosA * temp)
            / (poleHalfLength * (4.0 / 3.0 - poleMass * cosA * cosA / totalMass))
        let linear = temp - poleMassLength * angular * cosA / totalMass
        var next = s
        next.cartVelocity += linear * dt
        next.cartPosition += next.cartVelocity * dt
        next.poleVelocity += angular * dt
        next.poleAngle += next.poleVelocity * dt
        return next
    }
}
