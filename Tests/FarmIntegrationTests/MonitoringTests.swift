import FarmLaunch
import FarmTestSupport
import FarmWire
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The coordinator's /metrics and dashboard against a real farm rendering real clips: scraped by
/// Debian's Prometheus server and loaded in Debian's headless Chromium.
@Suite(.serialized)
struct MonitoringTests {
    static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    /// Two 30-frame clips at a small size.
    static let job = ["--num_envs", "16", "--width", "320", "--height", "180", "--steps", "200",
                      "--video_length", "30", "--video_interval", "100"]

    private func farm(workers: Int) throws -> (FarmProcesses, port: Int) {
        let farm = try FarmProcesses()
        let port = try LoopbackPorts.freePort()
        try farm.startCoordinator(["--metrics-address", "127.0.0.1:\(port)"])
        for _ in 0..<workers { try farm.startWorker() }
        try farm.waitUntil("\(workers) worker(s) to register") { try farm.workersReport().count == workers }
        return (farm, port)
    }

    /// A Prometheus server scraping the coordinator every second sees the workers and the clips.
    @Test func prometheusScrapesTheFarm() throws {
        let prometheusPath = "/usr/bin/prometheus"
        try #require(FileManager.default.isExecutableFile(atPath: prometheusPath),
                     "Debian's prometheus is missing (tools/test passes it to tools/setup)")
        let (farm, port) = try farm(workers: 2)
        let directory = farm.directory.appendingPathComponent("prometheus")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("prometheus.yml")
        try """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: renderfarm
                static_configs:
                  - targets: ["127.0.0.1:\(port)"]
            """.write(to: config, atomically: true, encoding: .utf8)
        let apiPort = try LoopbackPorts.freePort()
        let prometheus = Process()
        prometheus.executableURL = URL(fileURLWithPath: prometheusPath)
        prometheus.arguments = ["--config.file=\(config.path)", "--storage.tsdb.path=\(directory.appendingPathComponent("data").path)",
                                "--web.listen-address=127.0.0.1:\(apiPort)"]
        let log = directory.appendingPathComponent("prometheus.log")
        try Data().write(to: log)
        prometheus.standardOutput = try FileHandle(forWritingTo: log)
        prometheus.standardError = prometheus.standardOutput
        try prometheus.run()
        defer {
            prometheus.terminate()
            prometheus.waitUntilExit()
        }

        let submitted = try farm.submit(Self.job + ["--run", "scraped"], wait: true)
        #expect(submitted.status == 0, "\(submitted.stderr)")
        let job = try #require(submitted.job)
        #expect(job.clipsDone == 2)

        func query(_ promQL: String) throws -> Double? {
            let encoded = promQL.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? promQL
            let reply = try HTTPClient.json("GET", "http://127.0.0.1:\(apiPort)/api/v1/query?query=\(encoded)")
            guard let data = reply["data"] as? [String: Any], let result = data["result"] as? [[String: Any]],
                  let value = result.first?["value"] as? [Any], let text = value.last as? String else { return nil }
            return Double(text)
        }
        let expected: [(String, Double)] = [
            (#"sum(farm_workers{state!="lost"})"#, 2),
            (#"sum(farm_workers{device="software"})"#, 2),
            (#"farm_clips{state="done"}"#, 2),
            (#"farm_jobs{state="completed"}"#, 1),
            ("sum(farm_worker_frames_rendered_total)", 60),
            ("farm_clip_render_seconds_count", 2),
            ("farm_clip_submit_to_filed_seconds_count", 2),
            ("farm_queue_depth", 0),
        ]
        try farm.waitUntil("Prometheus to report the farm (\(expected.map(\.0)))", timeout: .seconds(60)) {
            try expected.allSatisfy { try query($0.0) == $0.1 }
        }
        #expect(try query(#"up{job="renderfarm"}"#) == 1)
        #expect(try (query("farm_coordinator_resident_memory_bytes") ?? 0) > 1_000_000)
        #expect(try (query("farm_state_database_bytes") ?? 0) > 0)
    }

    /// The dashboard in a real browser while a job renders: progress, worker rows, and the finished
    /// clips playing inline. Leaves a screenshot in the test output.
    @Test func dashboardShowsTheFarmAndPlaysItsClips() throws {
        let (farm, port) = try farm(workers: 1)
        let browser = try HeadlessChromium()
        defer { browser.close() }
        try browser.open("http://127.0.0.1:\(port)/")
        // Two 600-frame clips: seconds of rendering, so the page's 1 s poll sees the worker rendering
        // even when the browser gets little of a loaded machine.
        let submitted = try farm.submit(Self.job + ["--steps", "1400", "--video_interval", "700", "--video_length", "600",
                                                    "--run", "dashboard"])
        let job = try #require(submitted.job, "\(submitted.stderr)")

        // While it renders, the worker's row says so.
        var sawRendering = false
        try farm.waitUntil("a clip to be playable on the page") {
            let rendering = try browser.evaluate(#"return document.querySelectorAll('#workers tr[data-state="rendering"]').length"#)
            if (rendering as? Int ?? 0) > 0 { sawRendering = true }
            return (try browser.evaluate("return document.querySelectorAll('#clips video').length") as? Int ?? 0) > 0
        }
        #expect(sawRendering, "the worker row never showed rendering")
        try farm.waitUntil("the job to complete") { try farm.status(job.id).state == .completed }
        let finished = try farm.status(job.id)
        let worker = try #require(try farm.workersReport().first)
        // Jobs come from the store, worker rows from the snapshot the loop publishes once a
        // heartbeat, so the worker row may trail the job's completion by up to a second.
        try farm.waitUntil("the page to show the completed job and its worker idle") {
            (try browser.evaluate("""
                const row = document.querySelector('#jobs tr[data-job="\(job.id)"]');
                const worker = document.querySelector('#workers tbody tr');
                return row && worker ? row.dataset.state + '/' + worker.dataset.state : null
                """) as? String) == "completed/idle"
        }
        let page = try #require(try browser.evaluate("""
            const row = document.querySelector('#jobs tr[data-job="\(job.id)"]');
            const clips = row.querySelector('.clip-progress .bar'), frames = row.querySelector('.frame-progress .bar');
            const workers = [...document.querySelectorAll('#workers tbody tr')];
            return {clipsDone: +clips.dataset.done, clipsTotal: +clips.dataset.total,
                    framesDone: +frames.dataset.done, framesTotal: +frames.dataset.total,
                    workers: workers.map(tr => [tr.dataset.worker, tr.dataset.state, tr.children[1].textContent,
                                                tr.children[3].textContent]),
                    videos: [...document.querySelectorAll('#clips video')].map(v => v.getAttribute('src')),
                    beats: document.getElementById('beats').textContent};
            """) as? [String: Any])
        #expect(page["clipsDone"] as? Int == finished.clipsDone)
        #expect(page["clipsTotal"] as? Int == 2)
        #expect(page["framesDone"] as? Int == finished.framesTotal)
        #expect(page["framesTotal"] as? Int == 1200)
        let rows = try #require(page["workers"] as? [[String]])
        #expect(rows.count == 1)
        #expect(rows.first == [worker.id, "idle", worker.host, worker.renderer])
        #expect(page["videos"] as? [String] == ["/clips/\(job.id)/0.mp4", "/clips/\(job.id)/1.mp4"])
        #expect((page["beats"] as? String)?.contains(worker.id) == true)

        // The <video> plays: its readyState reaches HAVE_CURRENT_DATA and its currentTime advances.
        let playback = try #require(try browser.evaluateAsync("""
            const done = arguments[arguments.length - 1];
            const video = document.querySelector('#clips video');
            video.muted = true;
            video.play().then(() => {
              const first = video.currentTime;
              setTimeout(() => done({readyState: video.readyState, first: first, later: video.currentTime,
                                     error: video.error ? video.error.code : 0, width: video.videoWidth}), 1500);
            }, error => done({error: String(error)}));
            """) as? [String: Any])
        #expect(playback["error"] as? Int == 0, "\(playback)")
        #expect((playback["readyState"] as? Int ?? 0) >= 2, "\(playback)")
        #expect((playback["later"] as? Double ?? 0) > (playback["first"] as? Double ?? 0), "\(playback)")
        #expect(playback["width"] as? Int == 320)
        // Every clip shows a frame in the screenshot: each video has finished seeking to it.
        _ = try browser.evaluateAsync("""
            const done = arguments[arguments.length - 1];
            const seeks = [...document.querySelectorAll('#clips video')].map(v => new Promise(seeked => {
              v.addEventListener('seeked', seeked, {once: true});
              v.pause();
              v.currentTime = 0.4;
            }));
            Promise.all(seeks).then(() => done(0));
            """)
        let screenshot = HeadlessChromium.outputDirectory(package: Self.package) + "/dashboard.png"
        try browser.screenshot(to: screenshot)
        print("dashboard screenshot: \(screenshot)")
    }

    /// `farmctl top --once` prints the same picture in text.
    @Test func topPrintsWorkersAndJobs() throws {
        let (farm, _) = try farm(workers: 1)
        let submitted = try farm.submit(Self.job + ["--run", "top"], wait: true)
        let job = try #require(submitted.job, "\(submitted.stderr)")
        let worker = try #require(try farm.workersReport().first)
        let top = try farm.farmctl(["top", "--coordinator", farm.clientEndpoint, "--once"])
        #expect(top.status == 0, "\(top.stderr)")
        let text = String(decoding: top.stdout, as: UTF8.self)
        #expect(text.contains(worker.id.prefix(20)))
        #expect(text.contains("completed"))
        #expect(text.contains("[################] 2/2"))
        #expect(text.contains("60/60"))
        #expect(!text.contains("\u{1B}"), "--once prints no escape codes")
        _ = job
    }
}
