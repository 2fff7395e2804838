import FarmWire
import Foundation

/// `farmctl submit --streams FILE`: a JSON list of SUBMIT `streams` entries (docs/PROTOCOL.md), one
/// per Isaac Lab 3 `VideoRecorderCfg`, e.g.
/// `[{"prefix": "viewport"}, {"prefix": "wrist", "origin_type": "asset_body", "asset_name": "robot", ...}]`.
enum StreamsFile {
    static func load(_ path: String) throws -> [StreamRequest] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure(message: "cannot read the streams file \(path)")
        }
        do {
            return try WireJSON.decode([StreamRequest].self, from: data, command: "streams file \(path)")
        } catch {
            throw CommandFailure(message: "\(error) (expected a JSON list of stream objects, each with a \"prefix\")")
        }
    }
}
