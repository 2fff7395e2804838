import ArgumentParser
import FarmCore
import Foundation

/// `farmctl inspect FILE`: validates a rollout file the way workers read it and prints what the
/// farm understood: the header (re-encoded), and with `--json` every body_q row and mesh, so a
/// writer in another language can be checked body for body.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Validate a rollout file and print what the farm reads from it.")

    @Argument(help: "Rollout file (FARMRLT1).")
    var file: String

    @Flag(help: "Print one JSON document: header, body_q rows [steps][bodies][7] and meshes.")
    var json = false

    func run() throws {
        let rollout: RolloutFile
        let rows: BodyPoseRows
        let meshes: [MeshData]
        do {
            rollout = try RolloutFile(path: file)
            rows = try rollout.bodyPoses(steps: rollout.header.stepRange)
            meshes = try rollout.meshes()
        } catch {
            throw CommandFailure.exit("farmctl inspect: \(file): \(error.description)")
        }
        let header = rollout.header
        guard json else {
            print("\(file): valid rollout, env steps \(header.firstStep)..<\(header.firstStep + header.steps), "
                + "\(header.numBodies) bodies, \(header.shapes.count) shapes, \(meshes.count) meshes, "
                + "\(try FrameRate(stepDT: header.stepDT)) fps")
            for asset in header.assets {
                print("  asset \(asset.name): \(asset.envCount(numEnvs: header.numEnvs)) envs × "
                    + "\(asset.bodyNames.count) bodies (\(asset.bodyNames.joined(separator: ", ")))")
            }
            return
        }
        let perStep = header.numBodies * RolloutFormat.floatsPerPose
        let bodyQ = (0..<header.steps).map { step in
            (0..<header.numBodies).map { body in
                Array(rows.values[(step * perStep + body * 7)..<(step * perStep + body * 7 + 7)])
            }
        }
        let document: [String: Any] = [
            "header": try JSONSerialization.jsonObject(with: header.encoded()),
            "body_q": bodyQ.map { $0.map { $0.map(Double.init) } },
            "meshes": meshes.map { ["vertices": $0.vertices.map(Double.init), "indices": $0.indices.map(Int.init)] },
        ]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
}
