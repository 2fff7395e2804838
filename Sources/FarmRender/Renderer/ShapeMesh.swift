import FarmCore
import Foundation

/// Triangle geometry for one shape kind: interleaved position + normal, counter-clockwise outward.
/// Unit shapes are scaled per instance; a capsule's caps cannot be, so each size gets its own mesh.
struct ShapeMesh {
    var vertices: [Float] = []
    var indices: [UInt32] = []

    static let floatsPerVertex = 6

    var vertexCount: Int { vertices.count / Self.floatsPerVertex }

    private mutating func add(_ p: SIMD3<Float>, _ n: SIMD3<Float>) -> UInt32 {
        vertices += [p.x, p.y, p.z, n.x, n.y, n.z]
        return UInt32(vertexCount - 1)
    }

    private mutating func triangle(_ a: UInt32, _ b: UInt32, _ c: UInt32) { indices += [a, b, c] }

    /// The cube [-1, 1]³ with flat faces (scaled by half extents).
    static func box() -> ShapeMesh {
        var mesh = ShapeMesh()
        for axis in 0..<3 {
            for sign: Float in [-1, 1] {
                var n = SIMD3<Float>(repeating: 0)
                n[axis] = sign
                let u = unitAxis((axis + 1) % 3)
                let v = cross(n, u)
                let corners = [n - u - v, n + u - v, n + u + v, n - u + v]
                let base = corners.map { mesh.add($0, n) }
                mesh.triangle(base[0], base[1], base[2])
                mesh.triangle(base[0], base[2], base[3])
            }
        }
        return mesh
    }

    /// The unit sphere (scaled by radius or ellipsoid radii).
    static func sphere(rings: Int = 20, segments: Int = 32) -> ShapeMesh {
        var mesh = ShapeMesh()
        mesh.lathe(rings: rings, segments: segments) { t in
            let theta = Float.pi * (1 - t)
            let p = SIMD2<Float>(sin(theta), cos(theta))
            return (radius: p.x, z: p.y, normalRadius: p.x, normalZ: p.y)
        }
        return mesh
    }

    /// A capsule of the given radius and half height along Z (hemispheres centred at ±halfHeight).
    static func capsule(radius: Float, halfHeight: Float, rings: Int = 20, segments: Int = 32) -> ShapeMesh {
        var mesh = ShapeMesh()
        let half = rings / 2
        mesh.lathe(rings: rings + 1, segments: segments) { t in
            // Rings 0...half walk the lower cap, half+1...rings+1 the upper one.
            let i = Int((t * Float(rings + 1)).rounded())
            let upper = i > half
            let capT = upper ? Float(i - 1) / Float(rings) : Float(i) / Float(rings)
            let theta = Float.pi * (1 - capT)
            let (s, c) = (sin(theta), cos(theta))
            return (radius: radius * s, z: radius * c + (upper ? halfHeight : -halfHeight), normalRadius: s, normalZ: c)
        }
        return mesh
    }

    /// Radius 1, Z in [-1, 1], with caps (scaled by radius and half height).
    static func cylinder(segments: Int = 32) -> ShapeMesh {
        var mesh = ShapeMesh()
        mesh.side(segments: segments, bottomRadius: 1, topRadius: 1)
        mesh.cap(segments: segments, z: -1, radius: 1)
        mesh.cap(segments: segments, z: 1, radius: 1)
        return mesh
    }

    /// Base of radius 1 at z = -1, apex at z = +1 (Newton's cone along +Z).
    static func cone(segments: Int = 32) -> ShapeMesh {
        var mesh = ShapeMesh()
        mesh.side(segments: segments, bottomRadius: 1, topRadius: 0)
        mesh.cap(segments: segments, z: -1, radius: 1)
        return mesh
    }

    /// The quad [-0.5, 0.5]² at z = 0 facing +Z (scaled by the plane's width and length).
    static func plane() -> ShapeMesh {
        var mesh = ShapeMesh()
        let n = SIMD3<Float>(0, 0, 1)
        let a = mesh.add(SIMD3(-0.5, -0.5, 0), n), b = mesh.add(SIMD3(0.5, -0.5, 0), n)
        let c = mesh.add(SIMD3(0.5, 0.5, 0), n), d = mesh.add(SIMD3(-0.5, 0.5, 0), n)
        mesh.triangle(a, b, c)
        mesh.triangle(a, c, d)
        return mesh
    }

    /// A rollout mesh with smooth, area-weighted vertex normals (scaled per instance).
    static func triangles(_ data: MeshData) -> ShapeMesh {
        let count = data.vertexCount
        var normals = [SIMD3<Float>](repeating: .zero, count: count)
        let p = (0..<count).map { SIMD3(data.vertices[3 * $0], data.vertices[3 * $0 + 1], data.vertices[3 * $0 + 2]) }
        for t in stride(from: 0, to: data.indices.count - 2, by: 3) {
            let (i, j, k) = (Int(data.indices[t]), Int(data.indices[t + 1]), Int(data.indices[t + 2]))
            let n = cross(p[j] - p[i], p[k] - p[i])
            normals[i] += n
            normals[j] += n
            normals[k] += n
        }
        var mesh = ShapeMesh()
        mesh.vertices.reserveCapacity(count * floatsPerVertex)
        for v in 0..<count {
            let n = length(normals[v]) > 0 ? normalize(normals[v]) : SIMD3<Float>(0, 0, 1)
            _ = mesh.add(p[v], n)
        }
        mesh.indices = data.indices
        return mesh
    }

    private static func unitAxis(_ i: Int) -> SIMD3<Float> {
        var v = SIMD3<Float>(repeating: 0)
        v[i] = 1
        return v
    }

    /// A surface of revolution about Z from a profile sampled at t in 0...1 (bottom to top).
    private mutating func lathe(rings: Int, segments: Int,
                                profile: (Float) -> (radius: Float, z: Float, normalRadius: Float, normalZ: Float)) {
        let start = UInt32(vertexCount)
        for ring in 0...rings {
            let q = profile(Float(ring) / Float(rings))
            for s in 0...segments {
                let phi = 2 * Float.pi * Float(s) / Float(segments)
                let (c, sn) = (cos(phi), sin(phi))
                _ = add(SIMD3(q.radius * c, q.radius * sn, q.z), SIMD3(q.normalRadius * c, q.normalRadius * sn, q.normalZ))
            }
        }
        let stride = UInt32(segments + 1)
        for ring in 0..<UInt32(rings) {
            for s in 0..<UInt32(segments) {
                let a = start + ring * stride + s
                let b = a + stride
                triangle(a, a + 1, b + 1)
                triangle(a, b + 1, b)
            }
        }
    }

    private mutating func side(segments: Int, bottomRadius: Float, topRadius: Float) {
        // Slant normal of a frustum side with height 2.
        let slope = (bottomRadius - topRadius) / 2
        let start = UInt32(vertexCount)
        for s in 0...segments {
            let phi = 2 * Float.pi * Float(s) / Float(segments)
            let (c, sn) = (cos(phi), sin(phi))
            let n = normalize(SIMD3(c, sn, slope))
            _ = add(SIMD3(bottomRadius * c, bottomRadius * sn, -1), n)
            _ = add(SIMD3(topRadius * c, topRadius * sn, 1), n)
        }
        for s in 0..<UInt32(segments) {
            let a = start + 2 * s
            triangle(a, a + 2, a + 3)
            triangle(a, a + 3, a + 1)
        }
    }

    private mutating func cap(segments: Int, z: Float, radius: Float) {
        let n = SIMD3<Float>(0, 0, z > 0 ? 1 : -1)
        let centre = add(SIMD3(0, 0, z), n)
        let ring = (0..<segments).map { s -> UInt32 in
            let phi = 2 * Float.pi * Float(s) / Float(segments)
            return add(SIMD3(radius * cos(phi), radius * sin(phi), z), n)
        }
        for s in 0..<segments {
            let (a, b) = (ring[s], ring[(s + 1) % segments])
            if z > 0 { triangle(centre, a, b) } else { triangle(centre, b, a) }
        }
    }
}
