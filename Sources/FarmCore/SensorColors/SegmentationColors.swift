/// The segmentation output's ids and colours. A colour is a pure function of its id, so a body
/// keeps its colour in every frame, clip and worker.
///
/// Colours are Isaac Lab 3.0.0's `CameraFrameColorizer._ids_to_colors` / `_hsv_to_rgb_uint8`
/// (`isaaclab/envs/utils/camera_colorizer.py`): id 0 (background) is (40, 40, 40); id > 0 has hue
/// `(id * 0.6180339887) mod 1` (golden-ratio steps), saturation 0.75, value 0.90, each channel `int(c * 255)`.
public enum SegmentationColors {
    /// Nothing drawn.
    public static let backgroundID = 0
    public static let background = SIMD3<UInt8>(40, 40, 40)

    /// Per shape of a rollout: a shape on body b is id b + 1 (all shapes of a body share it); a
    /// static shape (body -1) is id numBodies + 1 + its ordinal among the static shapes, so each
    /// ground plane and static obstacle has its own.
    public static func ids(shapes: [ShapeSpec], numBodies: Int) -> [Int] {
        var staticOrdinal = 0
        return shapes.map { shape in
            guard shape.body < 0 else { return shape.body + 1 }
            defer { staticOrdinal += 1 }
            return numBodies + 1 + staticOrdinal
        }
    }

    public static func color(id: Int) -> SIMD3<UInt8> {
        guard id != backgroundID else { return background }
        // Python's `%` on a non-negative float equals truncatingRemainder; ids are never negative.
        let hue = (Double(id) * 0.6180339887).truncatingRemainder(dividingBy: 1)
        return hsvToRGB(hue: hue, saturation: 0.75, value: 0.90)
    }

    /// `_hsv_to_rgb_uint8`, in double precision as Python's floats.
    static func hsvToRGB(hue h: Double, saturation s: Double, value v: Double) -> SIMD3<UInt8> {
        func byte(_ c: Double) -> UInt8 { UInt8(Int(c * 255)) }
        guard s != 0 else { return SIMD3(repeating: byte(v)) }
        let sector = Int(h * 6)
        let f = h * 6 - Double(sector)
        let (p, q, t) = (v * (1 - s), v * (1 - s * f), v * (1 - s * (1 - f)))
        let (r, g, b): (Double, Double, Double) = switch sector % 6 {
        case 0: (v, t, p)
        case 1: (q, v, p)
        case 2: (p, v, t)
        case 3: (p, q, v)
        case 4: (t, p, v)
        default: (v, p, q)
        }
        return SIMD3(byte(r), byte(g), byte(b))
    }
}
