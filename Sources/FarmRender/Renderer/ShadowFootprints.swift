import FarmCore

/// Where shadows can fall on horizontal static ground. Each caster's bounding box, cast along the
/// sun onto each ground height, covers a rectangle (world XY); only those rectangles are drawn with
/// the shadow-map lookup, and the rest of the ground skips it. On a CPU rasteriser the lookup is the
/// largest per-pixel cost of a frame, and shadows cover a few percent of the ground.
struct ShadowFootprints {
    /// Height of the ground.
    let height: Float
    let sunDirection: SIMD3<Float>
    /// Margin around each rectangle, metres: the filter footprint and normal offset of the lookup.
    let padding: Float

    /// The receivers, when the cached ground is horizontal at one height (so nothing else lies
    /// under a footprint) and the sun is above the horizon.
    init?(groundBatches: [SceneBatch], sunDirection: SIMD3<Float>, shadow: ShadowSettings) {
        guard sunDirection.z > 0.05 else { return nil }
        var heights: [Float] = []
        for batch in groundBatches {
            for i in batch.instances.indices {
                let o = i * SceneBatch.floatsPerInstance
                let q = SIMD4(batch.data[o + 3], batch.data[o + 4], batch.data[o + 5], batch.data[o + 6])
                guard Quaternion.rotate(q, SIMD3(0, 0, 1)).z > 0.9999 else { return nil }
                let h = batch.data[o + 2]
                if !heights.contains(h) { heights.append(h) }
            }
        }
        guard heights.count == 1 else { return nil }
        height = heights[0]
        self.sunDirection = sunDirection
        let texel = 2 * shadow.halfExtent / Float(shadow.mapSize)
        padding = texel * (2 + shadow.normalBiasTexels + shadow.filterTexels)
    }

    /// Patch instance data (the `SceneBatch` layout: one flat quad per caster), leaving
    /// out rectangles wholly outside the shadow map, where the lookup finds no shadow anyway.
    func patches(casters: [SceneBatch], meshes: [MeshData], light: Mat4, into out: inout [Float]) {
        out.removeAll(keepingCapacity: true)
        for batch in casters {
            let (low, high) = batch.geometry.localBounds(meshes)
            batch.data.withUnsafeBufferPointer { data in
                for i in batch.instances.indices {
                    let o = i * SceneBatch.floatsPerInstance
                    let position = SIMD3(data[o], data[o + 1], data[o + 2])
                    let rotation = SIMD4(data[o + 3], data[o + 4], data[o + 5], data[o + 6])
                    let scale = SIMD3(data[o + 7], data[o + 8], data[o + 9])
                    var minimum = SIMD2<Float>(repeating: .infinity), maximum = SIMD2<Float>(repeating: -.infinity)
                    for c in 0..<8 {
                        let local = SIMD3(c & 1 == 0 ? low.x : high.x, c & 2 == 0 ? low.y : high.y,
                                          c & 4 == 0 ? low.z : high.z)
                        let p = position + Quaternion.rotate(rotation, local * scale)
                        // Points below the ground stay where they are (the caster passes through it).
                        let t = max(p.z - height, 0) / sunDirection.z
                        let q = SIMD2(p.x - sunDirection.x * t, p.y - sunDirection.y * t)
                        minimum = pointwiseMin(minimum, q)
                        maximum = pointwiseMax(maximum, q)
                    }
                    minimum -= padding
                    maximum += padding
                    if Self.outsideShadowMap(minimum, maximum, height: height, light: light) { continue }
                    let centre = (minimum + maximum) / 2, size = maximum - minimum
                    out += [centre.x, centre.y, height, 0, 0, 0, 1, size.x, size.y, 1, 0, 0, 0]
                }
            }
        }
    }

    /// True when all four corners fall beyond the same edge of the light's clip square.
    private static func outsideShadowMap(_ low: SIMD2<Float>, _ high: SIMD2<Float>, height: Float, light: Mat4) -> Bool {
        var below = SIMD2<Int>(0, 0), above = SIMD2<Int>(0, 0)
        for c in 0..<4 {
            let p = light * SIMD4(c & 1 == 0 ? low.x : high.x, c & 2 == 0 ? low.y : high.y, height, 1)
            below &+= SIMD2(p.x < -1 ? 1 : 0, p.y < -1 ? 1 : 0)
            above &+= SIMD2(p.x > 1 ? 1 : 0, p.y > 1 ? 1 : 0)
        }
        return below.x == 4 || below.y == 4 || above.x == 4 || above.y == 4
    }
}

extension BatchGeometry {
    /// The unit geometry's bounding box before per-instance scale.
    func localBounds(_ meshes: [MeshData]) -> (SIMD3<Float>, SIMD3<Float>) {
        switch self {
        case .box, .sphere, .cylinder, .cone: return (SIMD3(-1, -1, -1), SIMD3(1, 1, 1))
        case .plane: return (SIMD3(-0.5, -0.5, 0), SIMD3(0.5, 0.5, 0))
        case .capsule(let r, let h): return (SIMD3(-r, -r, -h - r), SIMD3(r, r, h + r))
        case .mesh(let index):
            let v = meshes[index].vertices
            var low = SIMD3<Float>(repeating: .infinity), high = SIMD3<Float>(repeating: -.infinity)
            for i in stride(from: 0, to: v.count, by: 3) {
                let p = SIMD3(v[i], v[i + 1], v[i + 2])
                low = pointwiseMin(low, p)
                high = pointwiseMax(high, p)
            }
            return (low, high)
        }
    }
}
