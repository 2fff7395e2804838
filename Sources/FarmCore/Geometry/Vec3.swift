/// A point or direction in the world frame (metres, Z up).
public struct Vec3: Hashable, Sendable, Codable, CustomStringConvertible {
    public var x: Double
    public var y: Double
    public var z: Double

    public init(_ x: Double, _ y: Double, _ z: Double) {
        self.x = x
        self.y = y
        self.z = z
    }

    public var isFinite: Bool { x.isFinite && y.isFinite && z.isFinite }
    public var length: Double { (x * x + y * y + z * z).squareRoot() }
    public var description: String { "(\(x), \(y), \(z))" }

    public static func + (a: Vec3, b: Vec3) -> Vec3 { Vec3(a.x + b.x, a.y + b.y, a.z + b.z) }
    public static func - (a: Vec3, b: Vec3) -> Vec3 { Vec3(a.x - b.x, a.y - b.y, a.z - b.z) }
    public static func * (a: Vec3, s: Double) -> Vec3 { Vec3(a.x * s, a.y * s, a.z * s) }

    /// Encoded as `[x, y, z]`, the way configs, rollout headers and the wire write positions.
    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        let values = [try container.decode(Double.self), try container.decode(Double.self),
                      try container.decode(Double.self)]
        if !container.isAtEnd {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected exactly 3 numbers")
        }
        self.init(values[0], values[1], values[2])
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(x)
        try container.encode(y)
        try container.encode(z)
    }
}
