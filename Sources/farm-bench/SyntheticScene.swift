import Foundation
import FarmCore

/// Deterministic frames that look like a rendered training scene rather than noise or a flat
/// field: a sky gradient, a checkered ground plane in perspective with fog toward the horizon, and
/// shaded boxes and spheres that move from frame to frame (what an encoder sees from the farm).
struct SyntheticScene {
    let width: Int
    let height: Int

    func frame(_ index: Int) -> RGBFrame {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        let t = Double(index) / 60
        let horizon = Double(height) * 0.42
        pixels.withUnsafeMutableBufferPointer { out in
            for y in 0..<height {
                let fy = Double(y)
                for x in 0..<width {
                    let colour: (Double, Double, Double)
                    if fy < horizon {
                        let s = fy / horizon
                        colour = (110 + 90 * s, 160 + 60 * s, 225 + 15 * s)
                    } else {
                        // Ground: depth grows toward the horizon; the camera dollies slowly forward.
                        let depth = Double(height) * 0.6 / (fy - horizon + 1)
                        let u = (Double(x) - Double(width) / 2) * depth / Double(width) * 2.2
                        let v = depth + t * 0.8
                        let checker = (Int((u + 1000).rounded(.down)) + Int(v.rounded(.down))) & 1 == 0
                        let base = checker ? 150.0 : 95.0
                        let fog = min(1, depth / 40)
                        colour = (base + (200 - base) * fog, base + 5 + (220 - base - 5) * fog,
                                  base + 10 + (240 - base - 10) * fog)
                    }
                    let i = (y * width + x) * 3
                    out[i] = UInt8(colour.0)
                    out[i + 1] = UInt8(colour.1)
                    out[i + 2] = UInt8(colour.2)
                }
            }
            for body in 0..<6 {
                drawBox(body: body, t: t, into: out)
                drawSphere(body: body, t: t, into: out)
            }
        }
        return RGBFrame(width: width, height: height, pixels: pixels)
    }

    /// A cart-like box sliding along its rail, lit from the upper left (darker toward its bottom right).
    private func drawBox(body: Int, t: Double, into out: UnsafeMutableBufferPointer<UInt8>) {
        let w = Double(width), h = Double(height)
        let cx = w * (0.1 + 0.16 * Double(body)) + w * 0.05 * sin(t * 1.3 + Double(body))
        let cy = h * (0.55 + 0.06 * Double(body % 3))
        let (hw, hh) = (w * 0.035, h * 0.03)
        let tint = palette[body % palette.count]
        for y in max(0, Int(cy - hh))..<min(height, Int(cy + hh)) {
            for x in max(0, Int(cx - hw))..<min(width, Int(cx + hw)) {
                let shade = 1.0 - 0.35 * ((Double(x) - cx + hw) / (2 * hw) + (Double(y) - cy + hh) / (2 * hh)) / 2
                put(x, y, (tint.0 * shade, tint.1 * shade, tint.2 * shade), into: out)
            }
        }
    }

    /// A swinging sphere with diffuse shading and a highlight.
    private func drawSphere(body: Int, t: Double, into out: UnsafeMutableBufferPointer<UInt8>) {
        let w = Double(width), h = Double(height)
        let cx = w * (0.1 + 0.16 * Double(body)) + w * 0.06 * sin(t * 2.1 + Double(body) * 0.7)
        let cy = h * 0.3 + h * 0.08 * cos(t * 1.7 + Double(body))
        let r = h * 0.05
        let tint = palette[(body + 3) % palette.count]
        for y in max(0, Int(cy - r))..<min(height, Int(cy + r) + 1) {
            for x in max(0, Int(cx - r))..<min(width, Int(cx + r) + 1) {
                let (dx, dy) = ((Double(x) - cx) / r, (Double(y) - cy) / r)
                let d2 = dx * dx + dy * dy
                guard d2 <= 1 else { continue }
                let nz = (1 - d2).squareRoot()
                let diffuse = max(0, -0.5 * dx - 0.5 * dy + 0.7 * nz)
                let light = 0.25 + 0.75 * diffuse
                let highlight = pow(max(0, diffuse), 40) * 120
                put(x, y, (tint.0 * light + highlight, tint.1 * light + highlight, tint.2 * light + highlight), into: out)
            }
        }
    }

    private let palette: [(Double, Double, Double)] = [
        (230, 120, 60), (70, 150, 230), (90, 200, 110), (220, 200, 80), (180, 90, 200), (200, 70, 80),
    ]

    private func put(_ x: Int, _ y: Int, _ c: (Double, Double, Double), into out: UnsafeMutableBufferPointer<UInt8>) {
        let i = (y * width + x) * 3
        out[i] = UInt8(min(255, max(0, c.0)))
        out[i + 1] = UInt8(min(255, max(0, c.1)))
        out[i + 2] = UInt8(min(255, max(0, c.2)))
    }
}
