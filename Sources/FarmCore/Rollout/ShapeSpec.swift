/// One collision/visual shape of the scene, attached to a body (or static when `body == -1`).
public struct ShapeSpec: Sendable, Equatable {
    public var geometry: ShapeGeometry
    /// Index into body_q rows, or -1 for a static shape in the world frame.
    public var body: Int
    /// Transform local to the body.
    public var transform: Pose
    /// sRGB in 0...1; nil takes the backend's palette colour by shape index.
    public var color: Vec3?

    public init(geometry: ShapeGeometry, body: Int, transform: Pose = .identity, color: Vec3? = nil) {
        self.geometry = geometry
        self.body = body
        self.transform = transform
        self.color = color
    }

    public var type: ShapeType { geometry.type }
    public var isStatic: Bool { body < 0 }
}

extension ShapeSpec {
    init(json: JSONFields, numBodies: Int, meshCount: Int) throws(RolloutError) {
        let typeName = try json.string("type")
        guard let type = ShapeType(rawValue: typeName) else {
            throw .unknownShapeType(field: json.field("type"), type: typeName)
        }
        let body = try json.int("body")
        guard body >= -1, body < numBodies else {
            throw .invalidValue(field: json.field("body"), reason: "is \(body); must be -1 (static) or 0..<\(numBodies)")
        }
        let t = json.has("transform") ? try json.doubles("transform", count: 7) : Pose.identity.components
        let color: Vec3? = json.has("color") ? try json.vec3("color") : nil
        if let color, [color.x, color.y, color.z].contains(where: { $0 < 0 || $0 > 1 }) {
            throw .invalidValue(field: json.field("color"), reason: "must be sRGB components in 0...1")
        }
        self.init(geometry: try Self.geometry(type, json: json, meshCount: meshCount), body: body,
                  transform: Pose(components: t), color: color)
    }

    private static func geometry(_ type: ShapeType, json: JSONFields, meshCount: Int) throws(RolloutError) -> ShapeGeometry {
        func positive(_ key: String) throws(RolloutError) -> Double {
            let v = try json.double(key)
            guard v > 0 else { throw .invalidValue(field: json.field(key), reason: "must be positive, got \(v)") }
            return v
        }
        func positiveVec(_ key: String) throws(RolloutError) -> Vec3 {
            let v = try json.vec3(key)
            guard v.x > 0, v.y > 0, v.z > 0 else {
                throw .invalidValue(field: json.field(key), reason: "must have positive components, got \(v)")
            }
            return v
        }
        switch type {
        case .box: return .box(halfExtents: try positiveVec("half_extents"))
        case .sphere: return .sphere(radius: try positive("radius"))
        case .capsule: return .capsule(radius: try positive("radius"), halfHeight: try positive("half_height"))
        case .cylinder: return .cylinder(radius: try positive("radius"), halfHeight: try positive("half_height"))
        case .cone: return .cone(radius: try positive("radius"), halfHeight: try positive("half_height"))
        case .ellipsoid: return .ellipsoid(radii: try positiveVec("radii"))
        case .plane:
            let size = json.has("size") ? try json.doubles("size", count: 2) : [0, 0]
            guard size.allSatisfy({ $0 >= 0 }) else {
                throw .invalidValue(field: json.field("size"), reason: "must be non-negative (0 = infinite)")
            }
            return .plane(width: size[0], length: size[1])
        case .mesh:
            let index = try json.int("mesh")
            guard index >= 0, index < meshCount else {
                throw .meshOutOfRange(field: json.field("mesh"), reason: "is \(index); the header lists \(meshCount) meshes")
            }
            let scale = json.has("scale") ? try positiveVec("scale") : Vec3(1, 1, 1)
            return .mesh(index: index, scale: scale)
        }
    }

    var json: [String: Any] {
        var object: [String: Any] = ["type": type.rawValue, "body": body, "transform": transform.components]
        if let color { object["color"] = [color.x, color.y, color.z] }
        switch geometry {
        case .box(let h): object["half_extents"] = [h.x, h.y, h.z]
        case .sphere(let r): object["radius"] = r
        case .capsule(let r, let h), .cylinder(let r, let h), .cone(let r, let h):
            object["radius"] = r
            object["half_height"] = h
        case .ellipsoid(let r): object["radii"] = [r.x, r.y, r.z]
        case .plane(let w, let l): object["size"] = [w, l]
        case .mesh(let index, let s):
            object["mesh"] = index
            object["scale"] = [s.x, s.y, s.z]
        }
        return object
    }
}
