import FarmCoordinator
import FarmTestSupport
import FarmWire
import Foundation
import Logging
import Testing
@testable import FarmMonitor

/// The real NIO server on a free loopback port, over a real on-disk store and logs root.
@Suite(.serialized)
struct MonitorServerTests {
    final class Running {
        let fixture: MonitorFixture
        let server: MonitorServer
        let port: Int

        init(_ fixture: MonitorFixture) throws {
            self.fixture = fixture
            server = MonitorServer(address: MonitorAddress(host: "127.0.0.1", port: 0), metrics: fixture.metrics,
                                   sources: fixture.sources)
            port = try server.start().port
        }

        deinit { server.shutdown() }

        func get(_ target: String, method: String = "GET", headers: [String: String] = [:]) throws -> HTTPClient.Response {
            try HTTPClient.send(method: method, port: port, target: target, headers: headers)
        }
    }

    /// A farm with one filed clip (job 1, clip 0) of `video` bytes and one clip rendering.
    private func farmWithAFiledClip(_ video: Data) throws -> Running {
        let fixture = try MonitorFixture()
        try fixture.submit(clips: 3)
        try fixture.ready("w1")
        try fixture.ready("w2")
        _ = try fixture.file("w1", bytes: video)
        fixture.publish()
        return try Running(fixture)
    }

    @Test func servesMetricsDashboardAndState() throws {
        let running = try farmWithAFiledClip(Data("not really an mp4".utf8))
        let metrics = try running.get("/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        let text = String(decoding: metrics.body, as: UTF8.self)
        #expect(text.contains(#"farm_clips{state="done"} 1"#))
        #expect(text.contains(#"farm_clips{state="dispatched"} 2"#))

        let page = try running.get("/")
        #expect(page.status == 200)
        #expect(String(decoding: page.body, as: UTF8.self).contains("/api/state"))
        #expect(try running.get("/", method: "HEAD").body.isEmpty)

        let state = try running.get("/api/state")
        #expect(state.status == 200)
        let json = try #require(try JSONSerialization.jsonObject(with: state.body) as? [String: Any])
        let jobs = try #require(json["jobs"] as? [[String: Any]])
        #expect(jobs.first?["clips_done"] as? Int == 1)
        #expect(jobs.first?["clips_total"] as? Int == 3)
        // The done clip's 10 frames and the 3 each rendering worker reported.
        #expect(jobs.first?["frames_done"] as? Int == 10 + 3 + 3)
        let page1 = try #require(json["page"] as? [String: Any])
        let clips = try #require(page1["clips"] as? [[String: Any]])
        // w1 filed clip 0 and took clip 2; w2 renders clip 1.
        #expect(clips.map { $0["state"] as? String } == ["done", "dispatched", "dispatched"])
        #expect(clips.first?["video"] as? String == "/clips/1/0.mp4")
        #expect((json["workers"] as? [Any])?.count == 2)
    }

    @Test func servesClipsWithByteRanges() throws {
        let video = Data((0..<1000).map { UInt8($0 % 251) })
        let running = try farmWithAFiledClip(video)
        let whole = try running.get("/clips/1/0.mp4")
        #expect(whole.status == 200)
        #expect(whole.body == video)
        #expect(whole.headers["content-type"] == "video/mp4")
        #expect(whole.headers["accept-ranges"] == "bytes")

        let part = try running.get("/clips/1/0.mp4", headers: ["Range": "bytes=100-199"])
        #expect(part.status == 206)
        #expect(part.headers["content-range"] == "bytes 100-199/1000")
        #expect(part.body == video[100...199])

        let tail = try running.get("/clips/1/0.mp4", headers: ["Range": "bytes=-10"])
        #expect(tail.body == video.suffix(10))
        let past = try running.get("/clips/1/0.mp4", headers: ["Range": "bytes=5000-"])
        #expect(past.status == 416)
        #expect(past.headers["content-range"] == "bytes */1000")

        // Clips that are not filed are not served, whatever lies on disk.
        #expect(try running.get("/clips/1/1.mp4").status == 404)
        #expect(try running.get("/clips/9/0.mp4").status == 404)
    }

    @Test(arguments: [
        "/../../../../etc/passwd", "/clips/1/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/clips/%2e%2e/%2e%2e/etc/passwd", "/clips/1/..%2f..%2f..%2fetc%2fpasswd", "//etc/passwd",
        "/clips/1/0.mp4/../../../../etc/passwd", "/logs/rl_games/Isaac-Cartpole-v0/run/videos/train/rl-video-step-0.mp4",
        "/state/farm.sqlite", "/.farm/farm.sqlite",
    ])
    func refusesPathsOutsideTheRoutes(_ target: String) throws {
        let running = try farmWithAFiledClip(Data("mp4".utf8))
        let response = try running.get(target)
        #expect(response.status == 404)
        #expect(!String(decoding: response.body, as: UTF8.self).contains("root:"))
    }

    /// A filed clip replaced by a symlink out of the logs root is refused, not followed.
    @Test func refusesAClipSymlinkedOutOfTheRoot() throws {
        let running = try farmWithAFiledClip(Data("mp4".utf8))
        let path = try #require(try running.fixture.store.clip(ClipKey(job: 1, index: 0))?.path)
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "/etc/passwd")
        let response = try running.get("/clips/1/0.mp4")
        #expect(response.status == 403)
        #expect(!String(decoding: response.body, as: UTF8.self).contains("root:"))
    }

    @Test func isReadOnly() throws {
        let running = try farmWithAFiledClip(Data("mp4".utf8))
        for method in ["POST", "PUT", "DELETE"] {
            let response = try running.get("/metrics", method: method)
            #expect(response.status == 405)
        }
    }

    /// Shutdown joins the server's threads and frees the port.
    @Test func shutsDownAndFreesThePort() throws {
        let fixture = try MonitorFixture()
        let server = MonitorServer(address: MonitorAddress(host: "127.0.0.1", port: 0), metrics: fixture.metrics,
                                   sources: fixture.sources)
        let port = try server.start().port
        #expect(try HTTPClient.send(method: "GET", port: port, target: "/metrics").status == 200)
        server.shutdown()
        #expect(throws: HTTPClient.Failure.self) { try HTTPClient.send(method: "GET", port: port, target: "/metrics") }
        let again = MonitorServer(address: MonitorAddress(host: "127.0.0.1", port: port), metrics: fixture.metrics,
                                  sources: fixture.sources)
        #expect(try again.start().port == port)
        again.shutdown()
    }

    @Test func refusesABusyPort() throws {
        let fixture = try MonitorFixture()
        let first = MonitorServer(address: MonitorAddress(host: "127.0.0.1", port: 0), metrics: fixture.metrics,
                                  sources: fixture.sources)
        let port = try first.start().port
        defer { first.shutdown() }
        let second = MonitorServer(address: MonitorAddress(host: "127.0.0.1", port: port), metrics: fixture.metrics,
                                   sources: fixture.sources)
        #expect(throws: MonitorError.self) { try second.start() }
    }
}
