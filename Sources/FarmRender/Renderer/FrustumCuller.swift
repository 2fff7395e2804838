import FarmCore

/// Drops instances whose bounding sphere lies wholly outside a view volume, before their data is
/// uploaded: a camera inside a 4096-env grid sees a fraction of it, and the sun's ±10 m shadow
/// frustum far less, so most vertex work (done on the render thread by a CPU rasteriser) is skipped.
struct FrustumCuller {
    /// Plane coefficients (normal, offset), normalised, with the inside where `dot(n, p) + d >= 0`.
    private let planes: [SIMD4<Float>]

    /// The six planes of a view-projection matrix (Gribb–Hartmann).
    init(_ m: Mat4) {
        let c = m.columns
        let rows = (0..<4).map { i in SIMD4(c[0][i], c[1][i], c[2][i], c[3][i]) }
        planes = [rows[3] + rows[0], rows[3] - rows[0], rows[3] + rows[1], rows[3] - rows[1],
                  rows[3] + rows[2], rows[3] - rows[2]].map { p in
            p / (p.x * p.x + p.y * p.y + p.z * p.z).squareRoot()
        }
    }

    func intersects(center: SIMD3<Float>, radius: Float) -> Bool {
        planes.allSatisfy { $0.x * center.x + $0.y * center.y + $0.z * center.z + $0.w >= -radius }
    }
}

extension SceneBatch {
    /// Packs the instances whose bounding sphere meets `culler` into `out` (same layout as `data`).
    /// `extent` is the largest |coordinate| of the unit geometry on each axis, before scale.
    func visibleInstances(_ culler: FrustumCuller, extent: SIMD3<Float>, into out: inout [Float]) {
        out.removeAll(keepingCapacity: true)
        data.withUnsafeBufferPointer { d in
            for i in instances.indices {
                let o = i * Self.floatsPerInstance
                let half = extent * SIMD3(d[o + 7], d[o + 8], d[o + 9])
                let radius = (half * half).sum().squareRoot()
                if culler.intersects(center: SIMD3(d[o], d[o + 1], d[o + 2]), radius: radius) {
                    out.append(contentsOf: d[o..<(o + Self.floatsPerInstance)])
                }
            }
        }
    }
}

extension BatchGeometry {
    /// The largest |coordinate| of the unit geometry per axis: a sphere of that half-diagonal (after
    /// scale) around the instance's origin holds it.
    func extent(_ meshes: [MeshData]) -> SIMD3<Float> {
        let (low, high) = localBounds(meshes)
        return pointwiseMax(pointwiseMax(low, -low), pointwiseMax(high, -high))
    }
}
