import Foundation
import Testing
@testable import FarmCore

private func sampleHeader(steps: Int = 4, numBodies: Int = 2, firstStep: Int = 10) -> RolloutHeader {
    RolloutHeader(
        stepDT: 1.0 / 60, firstStep: firstStep, steps: steps, numBodies: numBodies, numEnvs: 1, envSpacing: 4,
        viewer: .init(eye: Vec3(8, 0, 5), lookat: Vec3(0, 0, 0)),
        shapes: [
            ShapeSpec(geometry: .plane(width: 0, length: 0), body: -1),
            ShapeSpec(geometry: .box(halfExtents: Vec3(0.1, 0.125, 0.1)), body: 0, color: Vec3(1, 0.5, 0)),
            ShapeSpec(geometry: .capsule(radius: 0.02, halfHeight: 0.5), body: 1,
                      transform: Pose(position: Vec3(0, 0, 0.47))),
            ShapeSpec(geometry: .sphere(radius: 0.3), body: 1),
            ShapeSpec(geometry: .cylinder(radius: 0.1, halfHeight: 0.2), body: -1),
            ShapeSpec(geometry: .cone(radius: 0.1, halfHeight: 0.2), body: 0),
            ShapeSpec(geometry: .ellipsoid(radii: Vec3(0.1, 0.2, 0.3)), body: 0),
            ShapeSpec(geometry: .mesh(index: 0, scale: Vec3(1, 1, 2)), body: 1),
        ])
}

private let tetrahedron = MeshData(vertices: [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1],
                                   indices: [0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3])

private func sampleBody(steps: Int = 4, numBodies: Int = 2) -> [Float] {
    (0..<(steps * numBodies * 7)).map { Float($0 % 7 == 6 ? 1 : $0) * 0.01 }
}

private func temporaryPath(_ name: String = "rollout.bin") -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("farm-rollout-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent(name).path
}

/// A file written from `sampleHeader`, with its bytes for tampering.
private func writtenSample() throws -> (path: String, data: Data) {
    let path = temporaryPath()
    try RolloutWriter.write(header: sampleHeader(), bodyQ: sampleBody(), meshes: [tetrahedron], to: path)
    return (path, try Data(contentsOf: URL(fileURLWithPath: path)))
}

/// Rewrites a file with a modified header (keeping body and blobs).
private func withHeader(_ data: Data, _ edit: (inout [String: Any]) -> Void) -> Data {
    let length = Int(LittleEndianCoding.uint64(data.subdata(in: 8..<16)))
    var object = try! JSONSerialization.jsonObject(with: data.subdata(in: 16..<(16 + length))) as! [String: Any]
    edit(&object)
    let json = try! JSONSerialization.data(withJSONObject: object)
    var out = Data(RolloutFormat.magic)
    out.append(LittleEndianCoding.bytes(UInt64(json.count)))
    out.append(json)
    out.append(data.subdata(in: (16 + length)..<data.count))
    return out
}

private func open(_ data: Data) throws -> RolloutFile {
    let path = temporaryPath()
    try data.write(to: URL(fileURLWithPath: path))
    return try RolloutFile(path: path)
}

@Test func roundTripPreservesHeaderRowsAndMeshes() throws {
    let (path, _) = try writtenSample()
    let file = try RolloutFile(path: path)
    var expected = sampleHeader()
    expected.meshes = file.header.meshes
    #expect(file.header == expected)
    #expect(file.header.stepRange == 10..<14)
    #expect(try file.meshes() == [tetrahedron])
    let all = try file.bodyPoses(steps: 10..<14)
    #expect(all.values == sampleBody())
    let middle = try file.bodyPoses(steps: 11..<13)
    #expect(Array(middle.row(step: 12, body: 1)) == Array(all.row(step: 12, body: 1)))
    #expect(middle.pose(step: 11, body: 0).qw == Double(Float(0.01)))
}

@Test func rangeReadsOutsideTheRolloutAreRefused() throws {
    let file = try RolloutFile(path: try writtenSample().path)
    #expect(throws: RolloutError.stepsOutOfRange(requested: 9..<12, available: 10..<14)) {
        try file.bodyPoses(steps: 9..<12)
    }
    #expect(throws: RolloutError.stepsOutOfRange(requested: 12..<15, available: 10..<14)) {
        try file.bodyPoses(steps: 12..<15)
    }
}

@Test func sliceKeepsCameraTrackAligned() {
    var header = sampleHeader()
    header.cameraTrack = (0..<4).map { CameraView(eye: Vec3(Double($0) + 1, 0, 1), lookat: Vec3(0, 0, 0)) }
    let slice = header.slice(steps: 12..<14)
    #expect(slice.firstStep == 12 && slice.steps == 2)
    #expect(slice.cameraTrack?.map(\.eye.x) == [3, 4])
}

@Test func inMemoryRolloutMatchesFileReads() throws {
    let file = try RolloutFile(path: try writtenSample().path)
    let memory = try InMemoryRollout(header: file.header, bodyQ: sampleBody(), meshes: [tetrahedron])
    #expect(try memory.bodyPoses(steps: 11..<14) == file.bodyPoses(steps: 11..<14))
}

@Test func headerJSONUsesTheDocumentedFieldNames() throws {
    let json = try JSONSerialization.jsonObject(with: sampleHeader().encoded()) as! [String: Any]
    for key in ["version", "up_axis", "step_dt", "first_step", "steps", "num_bodies", "num_envs", "env_spacing", "viewer", "shapes"] {
        #expect(json[key] != nil, "missing \(key)")
    }
    let shapes = json["shapes"] as! [[String: Any]]
    #expect(shapes[1]["half_extents"] != nil && shapes[2]["half_height"] != nil && shapes[6]["radii"] != nil)
}

/// A malformed input: how it is made from a valid file, and the message it must produce.
struct Malformation: Sendable, CustomTestStringConvertible {
    let name: String
    let message: String
    let tamper: @Sendable (Data) -> Data

    var testDescription: String { name }

    static func header(_ name: String, _ message: String, _ edit: @escaping @Sendable (inout [String: Any]) -> Void) -> Malformation {
        Malformation(name: name, message: message) { withHeader($0, edit) }
    }

    static let all: [Malformation] = [
        Malformation(name: "bad magic", message: "not a rollout file") { var d = $0; d[0] = UInt8(ascii: "X"); return d },
        Malformation(name: "truncated body", message: "sizes disagree") { $0.prefix($0.count - 100) },
        Malformation(name: "trailing bytes", message: "sizes disagree") { $0 + Data([1, 2, 3, 4]) },
        Malformation(name: "short preamble", message: "truncated in preamble") { $0.prefix(10) },
        Malformation(name: "huge header length", message: "header length (bytes 8..15)") { var d = $0; d[15] = 0x7f; return d },
        Malformation(name: "header not JSON", message: "not a JSON object") { var d = $0; d[16] = UInt8(ascii: "!"); return d },
        header("missing steps", "missing field steps") { $0["steps"] = nil },
        header("steps disagree with body", "sizes disagree") { $0["steps"] = 3 },
        header("negative step_dt", "step_dt is -1.0 s; it must be from 0.001") { $0["step_dt"] = -1 },
        // Issue 19, finding 1: these crashed the coordinator (1/step_dt has no Int) or every worker.
        header("step_dt 1e-300", "step_dt is 1e-300 s; it must be from 0.001") { $0["step_dt"] = 1e-300 },
        header("step_dt 5e-324", "step_dt is 5e-324 s") { $0["step_dt"] = Double.leastNonzeroMagnitude },
        header("step_dt 1e-10", "step_dt is 1e-10 s") { $0["step_dt"] = 1e-10 },
        header("step_dt 1e300", "step_dt is 1e+300 s") { $0["step_dt"] = 1e300 },
        header("version 2", "version 2 is not supported") { $0["version"] = 2 },
        header("y up", "only \"z\" is supported") { $0["up_axis"] = "y" },
        header("unknown shape type", "shapes[1].type is \"torus\"") { setShape(&$0, 1, "type", "torus") },
        header("missing radius", "missing field shapes[3].radius") { setShape(&$0, 3, "radius", nil) },
        header("missing half_extents", "missing field shapes[1].half_extents") { setShape(&$0, 1, "half_extents", nil) },
        header("zero radius", "shapes[3].radius must be positive") { setShape(&$0, 3, "radius", 0) },
        header("body out of range", "shapes[1].body is 7") { setShape(&$0, 1, "body", 7) },
        header("colour out of gamut", "shapes[1].color must be sRGB") { setShape(&$0, 1, "color", [2, 0, 0]) },
        header("mesh index out of range", "shapes[7].mesh is 3") { setShape(&$0, 7, "mesh", 3) },
        header("mesh blob past the end", "meshes[0] ends at byte 4144") { setMesh(&$0, "indices_offset", 4096) },
        header("misaligned mesh blob", "multiples of 4") { setMesh(&$0, "vertices_offset", 2) },
        header("camera track length", "camera_track has 1 entries") {
            $0["camera_track"] = [["eye": [1, 1, 1], "lookat": [0, 0, 0]]]
        },
        header("bad origin type", "viewer.origin_type is \"moon\"") {
            $0["viewer"] = ["eye": [1, 1, 1], "lookat": [0, 0, 0], "origin_type": "moon"]
        },
        header("eye of wrong arity", "viewer.eye must be an array of 3 numbers") {
            $0["viewer"] = ["eye": [1, 1], "lookat": [0, 0, 0]]
        },
        header("string for a number", "num_bodies must be an integer") { $0["num_bodies"] = "two" },
    ]
}

@Test(arguments: Malformation.all)
func malformedRolloutsAreRefusedWithTheirField(_ case: Malformation) throws {
    let (_, data) = try writtenSample()
    do {
        let file = try open(`case`.tamper(data))
        _ = try file.meshes()
        Issue.record("\(`case`.name): accepted a malformed rollout")
    } catch let error as RolloutError {
        #expect(error.description.contains(`case`.message), "\(`case`.name): \(error.description)")
    }
}

@Test func nonFiniteBodyPoseNamesStepBodyAndComponent() throws {
    var body = sampleBody()
    body[(2 * 2 + 1) * 7 + 3] = .nan  // step index 2 (env step 12), body 1, qx
    var data = try RolloutWriter.encode(header: sampleHeader(), bodyQ: sampleBody(), meshes: [tetrahedron])
    let bodyStart = data.count - (sampleHeader().bodyBytes + 4 * 12 + 12 * 4)
    data.replaceSubrange(bodyStart..<(bodyStart + body.count * 4), with: LittleEndianCoding.bytes(body))
    let file = try open(data)
    #expect(throws: RolloutError.nonFiniteBodyPose(step: 12, body: 1, component: 3)) {
        try file.bodyPoses(steps: 10..<14)
    }
    #expect(try file.bodyPoses(steps: 10..<12).steps == 10..<12)
    #expect(RolloutError.nonFiniteBodyPose(step: 12, body: 1, component: 3).description.contains("step 12, body 1, qx"))
}

@Test func writerRefusesRowsThatDisagreeWithTheHeader() {
    #expect(throws: RolloutError.self) {
        try RolloutWriter.encode(header: sampleHeader(), bodyQ: [1, 2, 3], meshes: [tetrahedron])
    }
    let badMesh = MeshData(vertices: [0, 0, 0, 1, 0, 0, 0, 1, 0], indices: [0, 1, 5])
    #expect(throws: RolloutError.self) {
        try RolloutWriter.encode(header: sampleHeader(), bodyQ: sampleBody(), meshes: [badMesh])
    }
}

@Test func missingFileSaysSo() {
    #expect(throws: RolloutError.cannotOpen(path: "/nonexistent/r.bin", reason: "no such file")) {
        try RolloutFile(path: "/nonexistent/r.bin")
    }
}

private func setShape(_ header: inout [String: Any], _ index: Int, _ key: String, _ value: Any?) {
    var shapes = header["shapes"] as! [[String: Any]]
    shapes[index][key] = value
    header["shapes"] = shapes
}

private func setMesh(_ header: inout [String: Any], _ key: String, _ value: Any) {
    var meshes = header["meshes"] as! [[String: Any]]
    meshes[0][key] = value
    header["meshes"] = meshes
}
