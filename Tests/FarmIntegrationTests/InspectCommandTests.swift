import FarmCore
import FarmHarness
import FarmTestSupport
import Foundation
import Testing

/// `farmctl inspect`: what the farm reads from a rollout file, for checking writers in other languages.
@Suite struct InspectCommandTests {
    let farmctl = FarmProcesses.binDirectory.appendingPathComponent("farmctl")

    func writeRollout(to path: String) throws -> [Float] {
        let header = RolloutHeader(stepDT: 1.0 / 60, firstStep: 3, steps: 2, numBodies: 2, numEnvs: 1, envSpacing: 0,
                                   shapes: [ShapeSpec(geometry: .sphere(radius: 0.5), body: 1, color: Vec3(1, 0, 0)),
                                            ShapeSpec(geometry: .mesh(index: 0, scale: Vec3(1, 1, 1)), body: -1)])
        let bodyQ: [Float] = (0..<28).map { Float($0) / 8 }
        let mesh = MeshData(vertices: [0, 0, 0, 1, 0, 0, 0, 1, 0], indices: [0, 1, 2])
        try RolloutWriter.write(header: header, bodyQ: bodyQ, meshes: [mesh], to: path)
        return bodyQ
    }

    @Test func printsHeaderRowsAndMeshesAsJSON() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("inspect-\(UUID().uuidString).rlt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bodyQ = try writeRollout(to: path)
        let result = try ProcessOutput.run(farmctl, ["inspect", path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        let rows = try #require(document["body_q"] as? [[[Double]]])
        #expect(rows.flatMap { $0.flatMap { $0 } }.map(Float.init) == bodyQ)
        let header = try #require(document["header"] as? [String: Any])
        #expect(header["first_step"] as? Int == 3)
        #expect((header["shapes"] as? [Any])?.count == 2)
        let meshes = try #require(document["meshes"] as? [[String: Any]])
        #expect(meshes.first?["indices"] as? [Int] == [0, 1, 2])
    }

    @Test func refusesACorruptFileNamingWhatIsWrong() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("inspect-\(UUID().uuidString).rlt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try writeRollout(to: path)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: try handle.seekToEnd() - 2)
        try handle.close()
        let result = try ProcessOutput.run(farmctl, ["inspect", path])
        #expect(result.status != 0)
        #expect(result.stderr.hasPrefix("farmctl inspect: \(path): rollout header: meshes[0] ends at byte 48"),
                "\(result.stderr)")
        #expect(!result.stderr.contains("Usage"))
    }
}
