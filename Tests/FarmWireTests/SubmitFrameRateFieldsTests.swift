import FarmCore
import Foundation
import Testing
@testable import FarmWire

/// SUBMIT's optional `fps` and `render_fps` (Isaac Lab 3's fps inputs): snake_case on the wire,
/// absent when unset, and a body from an older client without them still decodes.
struct SubmitFrameRateFieldsTests {
    @Test func fpsFieldsTravelAsSnakeCaseAndRoundTrip() throws {
        var job = Fixtures.submit
        job.schedule = "isaaclab"
        job.fps = 24
        job.renderFps = 59.94
        let body = WireJSON.encode(job)
        let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(object["fps"] as? Int == 24)
        #expect(object["render_fps"] as? Double == 59.94)
        #expect(try WireJSON.decode(SubmitJob.self, from: body, command: "SUBMIT") == job)
    }

    @Test func olderBodiesWithoutThemDecode() throws {
        let body = WireJSON.encode(Fixtures.submit)
        let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(object["fps"] == nil && object["render_fps"] == nil)
        let decoded = try WireJSON.decode(SubmitJob.self, from: body, command: "SUBMIT")
        #expect(decoded.fps == nil && decoded.renderFps == nil)
    }
}
