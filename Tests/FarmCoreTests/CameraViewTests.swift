import Testing
@testable import FarmCore

/// Issue 19, finding 10: a camera the renderer cannot turn into a finite view matrix (single
/// precision) is refused, naming why; every ordinary camera is usable.
struct CameraViewTests {
    static let cases: [(String, CameraView, String?)] = [
        ("the recorder default", .recorderDefault, nil),
        ("a camera a millimetre from its target", CameraView(eye: Vec3(0, 0, 0.001), lookat: Vec3(0, 0, 0)), nil),
        ("a camera 100 km out", CameraView(eye: Vec3(1e5, 0, 0), lookat: Vec3(0, 0, 0)), nil),
        ("eye 1e39, infinite as a float", CameraView(eye: Vec3(1e39, 0, 0), lookat: Vec3(0, 0, 0)), "more than"),
        ("lookat far out", CameraView(eye: Vec3(0, 0, 0), lookat: Vec3(0, 0, -2e6)), "lookat"),
        ("eye and lookat equal", CameraView(eye: Vec3(1, 2, 3), lookat: Vec3(1, 2, 3)), "less than"),
        ("apart only below float precision", CameraView(eye: Vec3(1, 2, 3), lookat: Vec3(1, 2, 3.00000001)), "less than"),
        ("apart only below float precision far out", CameraView(eye: Vec3(5e5, 0, 0), lookat: Vec3(5e5 + 0.01, 0, 0)),
         "less than"),
        ("a NaN", CameraView(eye: Vec3(.nan, 0, 0), lookat: Vec3(0, 0, 0)), "NaN"),
    ]

    @Test(arguments: cases)
    func usableOnlyWithAFiniteView(name: String, view: CameraView, phrase: String?) {
        #expect(view.isUsable == (phrase == nil), "\(name)")
        if let phrase { #expect(view.problem?.description.contains(phrase) == true, "\(name): \(view.problem.map(String.init(describing:)) ?? "usable")") }
    }
}
