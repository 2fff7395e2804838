/// The texels of the shadow map the casters can cover this frame. Clearing a 4096² depth map costs
/// a CPU rasteriser several milliseconds a frame, while the casters of a robot scene cover a small
/// square of it; only that square and last frame's are cleared (`ShadowMap.clear(keeping:)`), so
/// texels outside both keep the far depth they were cleared to.
struct ShadowRegion: Equatable {
    var x: Int
    var y: Int
    var width: Int
    var height: Int

    static func whole(_ size: Int) -> ShadowRegion { ShadowRegion(x: 0, y: 0, width: size, height: size) }

    /// The bounding square of every caster instance's bounding sphere in the light's orthographic
    /// view, padded by two texels and clipped to the map; nil when no caster reaches the map.
    /// - Parameter halfExtent: the light frustum's half width in metres (one metre is
    ///   `1/halfExtent` in its normalised coordinates).
    init?(casters: [(batch: SceneBatch, extent: SIMD3<Float>)], light: Mat4, halfExtent: Float, size: Int) {
        var low = SIMD2<Float>(repeating: .infinity), high = SIMD2<Float>(repeating: -.infinity)
        let ndcPerMetre = 1 / halfExtent
        for (batch, extent) in casters {
            batch.data.withUnsafeBufferPointer { d in
                for i in batch.instances.indices {
                    let o = i * SceneBatch.floatsPerInstance
                    let half = extent * SIMD3(d[o + 7], d[o + 8], d[o + 9])
                    let radius = (half * half).sum().squareRoot() * ndcPerMetre
                    let p = light * SIMD4(d[o], d[o + 1], d[o + 2], 1)
                    low = pointwiseMin(low, SIMD2(p.x, p.y) - radius)
                    high = pointwiseMax(high, SIMD2(p.x, p.y) + radius)
                }
            }
        }
        let texels = Float(size) / 2
        let first = pointwiseMax((low + 1) * texels - 2, .zero).rounded(.down)
        let last = pointwiseMin((high + 1) * texels + 2, SIMD2(repeating: Float(size))).rounded(.up)
        guard last.x > first.x, last.y > first.y else { return nil }
        self.init(x: Int(first.x), y: Int(first.y), width: Int(last.x - first.x), height: Int(last.y - first.y))
    }

    private init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// The smallest region holding both.
    func union(_ other: ShadowRegion) -> ShadowRegion {
        let x0 = min(x, other.x), y0 = min(y, other.y)
        return ShadowRegion(x: x0, y: y0, width: max(x + width, other.x + other.width) - x0,
                            height: max(y + height, other.y + other.height) - y0)
    }
}
