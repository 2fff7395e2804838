import FarmCore
import Testing

/// The sensor outputs' colours against Isaac Lab 3.0.0's `CameraFrameColorizer`
/// (`isaaclab/envs/utils/camera_colorizer.py`) run on float32 arrays with matplotlib 3.10.3, whose
/// turbo is the 256-entry `_turbo_data` of its `_cm_listed.py`.
struct SensorColorsTests {
    /// `colorize(depth, "depth", depth_min:, depth_max:)` per sample (metres; infinity is no hit).
    static let depthReference: [(depth: Float, range: ClosedRange<Double>, rgb: SIMD3<UInt8>)] = [
        (0.05, 0.1...10, SIMD3(48, 18, 59)),
        (0.1, 0.1...10, SIMD3(48, 18, 59)),
        (0.5, 0.1...10, SIMD3(59, 47, 127)),
        (1.0, 0.1...10, SIMD3(67, 83, 194)),
        (2.5, 0.1...10, SIMD3(43, 182, 239)),
        (3.0, 0.1...10, SIMD3(26, 209, 210)),
        (5.0, 0.1...10, SIMD3(158, 253, 62)),
        (7.3, 0.1...10, SIMD3(253, 143, 40)),
        (9.9, 0.1...10, SIMD3(129, 6, 2)),
        (10.0, 0.1...10, SIMD3(122, 4, 2)),
        (12.0, 0.1...10, SIMD3(122, 4, 2)),
        (.infinity, 0.1...10, SIMD3(122, 4, 2)),
        (2.0, 1...5, SIMD3(40, 187, 235)),
        (3.0, 1...5, SIMD3(164, 252, 59)),
        (4.0, 1...5, SIMD3(250, 125, 32)),
    ]

    @Test(arguments: depthReference.indices)
    func depthColoursAreMatplotlibsTurbo(_ i: Int) {
        let sample = Self.depthReference[i]
        #expect(TurboColormap.color(depth: sample.depth, range: sample.range) == sample.rgb,
                "depth \(sample.depth) in \(sample.range)")
    }

    @Test func turboIndexIsMatplotlibsListedLookup() {
        #expect(TurboColormap.index(normalized: 0) == 0)
        #expect(TurboColormap.index(normalized: 0.5 / 256) == 0)
        #expect(TurboColormap.index(normalized: 1.0 / 256) == 1)
        #expect(TurboColormap.index(normalized: 0.999) == 255)
        #expect(TurboColormap.index(normalized: 1) == 255)
        #expect(TurboColormap.bytes.count == 3 * TurboColormap.count)
    }

    /// `_ids_to_colors` of each id.
    static let idReference: [(id: Int, rgb: SIMD3<UInt8>)] = [
        (0, SIMD3(40, 40, 40)), (1, SIMD3(57, 107, 229)), (2, SIMD3(157, 229, 57)), (3, SIMD3(229, 57, 208)),
        (4, SIMD3(57, 229, 200)), (5, SIMD3(229, 150, 57)), (6, SIMD3(100, 57, 229)), (7, SIMD3(64, 229, 57)),
        (8, SIMD3(229, 57, 114)), (9, SIMD3(57, 165, 229)), (10, SIMD3(215, 229, 57)), (11, SIMD3(193, 57, 229)),
        (100, SIMD3(198, 57, 229)), (1000, SIMD3(229, 92, 57)), (65535, SIMD3(229, 57, 204)),
    ]

    @Test(arguments: idReference.indices)
    func segmentationColoursAreIsaacLabs(_ i: Int) {
        let sample = Self.idReference[i]
        #expect(SegmentationColors.color(id: sample.id) == sample.rgb, "id \(sample.id)")
    }

    @Test func shapesOnABodyShareItsIDAndStaticShapesGetOneEach() {
        let box = ShapeGeometry.box(halfExtents: Vec3(0.1, 0.1, 0.1))
        let shapes = [ShapeSpec(geometry: .plane(width: 0, length: 0), body: -1), ShapeSpec(geometry: box, body: 1),
                      ShapeSpec(geometry: box, body: 0), ShapeSpec(geometry: .sphere(radius: 0.1), body: 1),
                      ShapeSpec(geometry: box, body: -1)]
        #expect(SegmentationColors.ids(shapes: shapes, numBodies: 2) == [3, 2, 1, 2, 4])
    }
}
