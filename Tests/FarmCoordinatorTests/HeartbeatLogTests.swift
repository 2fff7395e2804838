import FarmWire
import Foundation
import Testing
@testable import FarmCoordinator

struct HeartbeatLogTests {
    static func record(_ n: Int) -> HeartbeatRecord {
        let ready = Ready(workerId: "w\(n % 2)", host: "node", pid: 42, device: .none, backends: [.newtonGL],
                          encoders: ["libx264"], version: "test")
        return HeartbeatRecord(timestamp: Double(n), ready: ready,
                               beat: WorkerHeartbeat(state: .rendering, jobId: "1", clipId: n, attempt: 1,
                                                     framesDone: n, framesTotal: 100, fps: 9.5, rssBytes: 1 << 20))
    }

    @Test func writesOneParsableObjectPerLine() throws {
        let dir = try TemporaryDirectory()
        let log = try HeartbeatLog(path: dir.appending("heartbeats.jsonl"))
        for n in 0..<3 { try log.append(Self.record(n)) }
        let text = try String(contentsOfFile: log.path, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(try lines.map { try HeartbeatRecord.parse(line: $0) } == (0..<3).map(Self.record))
        for key in ["\"timestamp\"", "\"worker\"", "\"host\"", "\"pid\"", "\"device\"", "\"renderer\"", "\"state\"",
                    "\"job\"", "\"clip\"", "\"frames_done\"", "\"frames_total\"", "\"fps\"", "\"rss_bytes\""] {
            #expect(lines[0].contains(key), "line has \(key)")
        }
    }

    @Test func rotatesBySizeKeepingTheNewestFiles() throws {
        let dir = try TemporaryDirectory()
        let lineBytes = Self.record(0).jsonLine().utf8.count + 1
        let log = try HeartbeatLog(path: dir.appending("heartbeats.jsonl"), maxBytes: lineBytes * 4, keep: 2)
        for n in 0..<20 { try log.append(Self.record(n % 10)) }   // same-width lines
        let current = try String(contentsOfFile: log.path, encoding: .utf8)
        #expect(current.utf8.count <= lineBytes * 4)
        #expect(log.rotatedPaths == [log.path + ".1", log.path + ".2"])
        #expect(!FileManager.default.fileExists(atPath: log.path + ".3"))
        let newest = try String(contentsOfFile: log.path, encoding: .utf8).split(separator: "\n").last.map(String.init)
        #expect(try newest.map { try HeartbeatRecord.parse(line: $0) } == Self.record(9))
        // Reopening appends rather than truncating.
        let reopened = try HeartbeatLog(path: log.path, maxBytes: lineBytes * 100, keep: 2)
        try reopened.append(Self.record(1))
        #expect(try String(contentsOfFile: log.path, encoding: .utf8).utf8.count == current.utf8.count + lineBytes)
    }
}
