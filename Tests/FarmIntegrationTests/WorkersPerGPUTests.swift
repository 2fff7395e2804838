import FarmTestSupport
import Foundation
import Testing

/// `farmctl demo --workers-per-gpu 2` on this machine's one (software) device: two real workers
/// share it, each with half the cores for libx264, and the job's clips are all filed.
@Suite(.serialized)
struct WorkersPerGPUTests {
    @Test func twoWorkersShareOneDeviceAndFileEveryClip() throws {
        let farm = try FarmProcesses()
        let state = farm.stateDirectory
        let demo = try farm.farmctl(["demo", "--workers-per-gpu", "2", "--state-dir", state, "--logs-root", farm.logsRoot,
                                     "--run", "per-gpu", "--steps", "120", "--num_envs", "4", "--video_length", "10",
                                     "--video_interval", "30"])
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stderr.contains("2 worker(s)"), "\(demo.stderr)")
        let videos = "\(farm.logsRoot)/rl_games/Isaac-Cartpole-v0/per-gpu/videos/train"
        let clips = ((try? FileManager.default.contentsOfDirectory(atPath: videos)) ?? []).sorted()
        #expect(clips == ["rl-video-step-0.mp4", "rl-video-step-30.mp4", "rl-video-step-60.mp4", "rl-video-step-90.mp4"])
        for clip in clips {
            #expect(try ClipInspection.probe("\(videos)/\(clip)").nb_read_frames == "10", "\(clip)")
        }
        let heartbeats = try String(contentsOfFile: "\(state)/heartbeats.jsonl", encoding: .utf8)
        let workers = Set(heartbeats.split(separator: "\n").compactMap { line -> String? in
            let record = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return record?["worker"] as? String
        })
        #expect(workers.count == 2, "heartbeats from \(workers)")
    }

    @Test func aWorkersPerGPUBelowOneIsRefused() throws {
        let farm = try FarmProcesses()
        let demo = try farm.farmctl(["demo", "--workers-per-gpu", "0", "--state-dir", farm.stateDirectory])
        #expect(demo.status != 0)
        #expect(demo.stderr.contains("--workers-per-gpu"), "\(demo.stderr)")
    }
}
