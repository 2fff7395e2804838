import FarmCore

/// Geometry shared by the instances of one draw call.
enum BatchGeometry: Hashable {
    case box, sphere, cylinder, cone, plane
    /// Caps cannot be scaled, so each capsule size is its own mesh.
    case capsule(radius: Float, halfHeight: Float)
    case mesh(Int)

    func mesh(_ meshes: [MeshData]) -> ShapeMesh {
        switch self {
        case .box: .box()
        case .sphere: .sphere()
        case .cylinder: .cylinder()
        case .cone: .cone()
        case .plane: .plane()
        case .capsule(let r, let h): .capsule(radius: r, halfHeight: h)
        case .mesh(let index): .triangles(meshes[index])
        }
    }
}

/// One shape as an instance: where it sits on its body, its scale and its colour (linear albedo,
/// or a sensor output's raw colour).
struct ShapeInstance {
    var body: Int
    var localPosition: SIMD3<Float>
    /// Quaternion x, y, z, w.
    var localRotation: SIMD4<Float>
    var scale: SIMD3<Float>
    var albedo: SIMD3<Float>
}

/// All instances of one geometry, and their per-frame instance data (13 floats each: position,
/// rotation quaternion, scale, linear albedo; the layout the shaders' `i*` attributes read).
struct SceneBatch {
    static let floatsPerInstance = 13

    var geometry: BatchGeometry
    var instances: [ShapeInstance]
    var data: [Float]

    var isGround: Bool { geometry == .plane }
    var isStatic: Bool { instances.allSatisfy { $0.body < 0 } }
    /// Static ground planes are shaded once per camera (`GroundCache`).
    var isCachedGround: Bool { isGround && isStatic }
    /// Ground planes receive shadows but do not cast them.
    var castsShadow: Bool { !isGround }
    /// Generated shapes are closed and wound outward; planes and rollout meshes are drawn two-sided.
    var cullsBackFaces: Bool {
        switch geometry {
        case .plane, .mesh: false
        default: true
        }
    }

    /// Fills in every instance's world transform for one step: world = body pose ∘ shape transform;
    /// static shapes (body -1) keep their world-frame transform.
    mutating func update(poses: BodyPoseRows, step: Int) {
        let perStep = poses.numBodies * RolloutFormat.floatsPerPose
        let stepBase = (step - poses.steps.lowerBound) * perStep
        poses.values.withUnsafeBufferPointer { q in
            data.withUnsafeMutableBufferPointer { out in
                for (i, shape) in instances.enumerated() {
                    var position = shape.localPosition
                    var rotation = shape.localRotation
                    if shape.body >= 0 {
                        let b = stepBase + shape.body * RolloutFormat.floatsPerPose
                        var bodyRotation = SIMD4(q[b + 3], q[b + 4], q[b + 5], q[b + 6])
                        let norm = (bodyRotation * bodyRotation).sum().squareRoot()
                        bodyRotation = norm > 0 ? bodyRotation / norm : SIMD4(0, 0, 0, 1)
                        position = SIMD3(q[b], q[b + 1], q[b + 2]) + Quaternion.rotate(bodyRotation, position)
                        rotation = Quaternion.multiply(bodyRotation, rotation)
                    }
                    let o = i * Self.floatsPerInstance
                    out[o] = position.x; out[o + 1] = position.y; out[o + 2] = position.z
                    out[o + 3] = rotation.x; out[o + 4] = rotation.y; out[o + 5] = rotation.z; out[o + 6] = rotation.w
                    out[o + 7] = shape.scale.x; out[o + 8] = shape.scale.y; out[o + 9] = shape.scale.z
                    out[o + 10] = shape.albedo.x; out[o + 11] = shape.albedo.y; out[o + 12] = shape.albedo.z
                }
            }
        }
    }

    /// Groups a rollout's shapes by geometry, in first-appearance order, with the look's colours.
    static func batches(shapes: [ShapeSpec], look: Look) -> [SceneBatch] {
        batches(shapes: shapes, colors: albedos(shapes: shapes, look: look))
    }

    /// Each shape's linear albedo: its `color` (sRGB) if given; else planes take the look's ground
    /// colour and other shapes the look's palette by their index among non-plane shapes.
    static func albedos(shapes: [ShapeSpec], look: Look) -> [SIMD3<Float>] {
        var paletteIndex = 0
        return shapes.map { shape in
            let isPlane = Self.geometry(shape.geometry).0 == .plane
            let srgb: SIMD3<Float>
            if let color = shape.color {
                srgb = SIMD3(Float(color.x), Float(color.y), Float(color.z))
            } else if isPlane {
                srgb = look.groundColorSRGB
            } else {
                srgb = look.paletteSRGB[paletteIndex % look.paletteSRGB.count]
            }
            if !isPlane { paletteIndex += 1 }
            return look.decoding.linear(srgb)
        }
    }

    /// Groups shapes by geometry, in first-appearance order; `colors` holds each shape's instance
    /// colour (a linear albedo, or a sensor's raw colour).
    static func batches(shapes: [ShapeSpec], colors: [SIMD3<Float>]) -> [SceneBatch] {
        var order: [BatchGeometry] = []
        var grouped: [BatchGeometry: [ShapeInstance]] = [:]
        for (shape, color) in zip(shapes, colors) {
            let (geometry, scale) = Self.geometry(shape.geometry)
            let t = shape.transform
            var rotation = SIMD4(Float(t.qx), Float(t.qy), Float(t.qz), Float(t.qw))
            let norm = (rotation * rotation).sum().squareRoot()
            rotation = norm > 0 ? rotation / norm : SIMD4(0, 0, 0, 1)
            let instance = ShapeInstance(body: shape.body,
                                         localPosition: SIMD3(Float(t.position.x), Float(t.position.y), Float(t.position.z)),
                                         localRotation: rotation, scale: scale, albedo: color)
            if grouped[geometry] == nil { order.append(geometry) }
            grouped[geometry, default: []].append(instance)
        }
        return order.map { geometry in
            let instances = grouped[geometry]!
            var batch = SceneBatch(geometry: geometry, instances: instances,
                                   data: [Float](repeating: 0, count: instances.count * floatsPerInstance))
            // Static shapes read no body rows: their world transforms are written here, once.
            if batch.isStatic {
                batch.update(poses: BodyPoseRows(steps: 0..<0, numBodies: 0, values: []), step: 0)
            }
            return batch
        }
    }

    /// Newton's ground: an infinite plane is drawn as a 1000 m × 1000 m quad.
    static let infinitePlaneSize: Float = 1000

    private static func geometry(_ g: ShapeGeometry) -> (BatchGeometry, SIMD3<Float>) {
        func f(_ v: Vec3) -> SIMD3<Float> { SIMD3(Float(v.x), Float(v.y), Float(v.z)) }
        switch g {
        case .box(let h): return (.box, f(h))
        case .sphere(let r): return (.sphere, SIMD3(repeating: Float(r)))
        case .ellipsoid(let radii): return (.sphere, f(radii))
        case .cylinder(let r, let h): return (.cylinder, SIMD3(Float(r), Float(r), Float(h)))
        case .cone(let r, let h): return (.cone, SIMD3(Float(r), Float(r), Float(h)))
        case .capsule(let r, let h): return (.capsule(radius: Float(r), halfHeight: Float(h)), SIMD3(1, 1, 1))
        case .plane(let w, let l):
            let infinite = w == 0 || l == 0
            return (.plane, infinite ? SIMD3(infinitePlaneSize, infinitePlaneSize, 1) : SIMD3(Float(w), Float(l), 1))
        case .mesh(let index, let s): return (.mesh(index), f(s))
        }
    }
}

enum Quaternion {
    static func rotate(_ q: SIMD4<Float>, _ v: SIMD3<Float>) -> SIMD3<Float> {
        let u = SIMD3(q.x, q.y, q.z)
        let t = 2 * cross(u, v)
        return v + q.w * t + cross(u, t)
    }

    static func multiply(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> {
        let (va, vb) = (SIMD3(a.x, a.y, a.z), SIMD3(b.x, b.y, b.z))
        let v = a.w * vb + b.w * va + cross(va, vb)
        return SIMD4(v.x, v.y, v.z, a.w * b.w - dot(va, vb))
    }
}
