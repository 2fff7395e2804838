import FarmCore
import FarmTestSupport
import FarmWire
import Foundation
import Testing

/// Isaac Lab 3's several streams per run and `keep_last_n_clips`, on a farm of real processes
/// (real EGL rendering and libav encoding), with the coordinator killed in the middle.
@Suite(.serialized)
struct StreamsTests {
    @Test func twoStreamsKeepTheRightClipsAcrossACoordinatorRestart() throws {
        let farm = try FarmProcesses()
        let videoDir = "\(farm.logsRoot)/rsl_rl/Isaac-Cartpole-v0/streams/videos/train"
        try FileManager.default.createDirectory(atPath: videoDir, withIntermediateDirectories: true)
        // A clip from an earlier run of this prefix, and files of other names that must stay.
        for (name, text) in [("viewport_0003.mp4", "earlier run"), ("clip_0000.mp4", "other prefix"), ("notes.txt", "mine")] {
            try Data(text.utf8).write(to: URL(fileURLWithPath: "\(videoDir)/\(name)"))
        }
        let streams = farm.directory.appendingPathComponent("streams.json")
        try Data("""
            [{"prefix": "viewport", "keep_last_n_clips": 2},
             {"prefix": "wrist", "eye": [1.5, -1.5, 1.0], "lookat": [0, 0, 0.5], "width": 160, "height": 96,
              "keep_last_n_clips": 3}]
            """.utf8).write(to: streams)

        let first = try farm.startCoordinator()
        try farm.startWorker()
        let submitted = try farm.submit(["--workflow", "rsl_rl", "--run", "streams", "--schedule", "isaaclab",
                                         "--steps", "300", "--num_envs", "16", "--video_length", "20",
                                         "--video_interval", "50", "--width", "320", "--height", "180",
                                         "--streams", streams.path])
        let job = try #require(submitted.job, "\(submitted.stderr)")
        #expect(job.clipsTotal == 12)
        #expect(job.streams?.map(\.prefix) == ["viewport", "wrist"])
        try farm.waitUntil("four clips filed") { try farm.status(job.id).clipsDone >= 4 }
        let finished = try farm.restartCoordinator(first, thenWaitFor: job.id)
        #expect(finished.state == .completed)
        // viewport continues after the earlier run's 0003 and keeps its newest two; wrist keeps three.
        // The earlier run's file stays: the farm deletes only clips it filed (unlike Isaac Lab).
        #expect(farm.clipFiles(finished) == ["clip_0000.mp4", "notes.txt", "viewport_0003.mp4", "viewport_0008.mp4",
                                             "viewport_0009.mp4", "wrist_0003.mp4", "wrist_0004.mp4", "wrist_0005.mp4"])
        for file in ["viewport_0008.mp4", "viewport_0009.mp4"] {
            try expectClip("\(videoDir)/\(file)", width: 320, height: 180)
        }
        for file in ["wrist_0003.mp4", "wrist_0004.mp4", "wrist_0005.mp4"] {
            try expectClip("\(videoDir)/\(file)", width: 160, height: 96)
        }
        let clips = try #require(finished.clips)
        #expect(clips.allSatisfy { $0.state == .done })
        let kept: Set = ["viewport_0008.mp4", "viewport_0009.mp4", "wrist_0003.mp4", "wrist_0004.mp4", "wrist_0005.mp4"]
        for clip in clips {
            if kept.contains(clip.file) {
                #expect(clip.removed == nil, "\(clip.file): \(clip.removed ?? "")")
            } else {
                #expect(clip.removed?.contains("keep_last_n_clips") == true, "\(clip.file) has no removal note")
            }
        }
        let fetched = try farm.farmctl(["fetch", job.id, "0", "--out", farm.directory.appendingPathComponent("x.mp4").path])
        #expect(fetched.status != 0 && fetched.stderr.contains("keep_last_n_clips"), "\(fetched.stderr)")
    }

    private func expectClip(_ path: String, width: Int, height: Int) throws {
        let probe = try ClipInspection.probe(path)
        #expect(probe.codec_name == "h264", "\(path)")
        #expect(probe.width == width && probe.height == height, "\(path)")
        #expect(probe.avg_frame_rate == "60/1", "\(path)")
        #expect(probe.nb_read_frames == "20", "\(path)")
    }
}
