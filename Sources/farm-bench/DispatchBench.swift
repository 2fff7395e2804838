import ArgumentParser
import FarmCoordinator
import FarmCore
import FarmHarness
import FarmMonitor
import FarmSim
import FarmWire
import FarmWorker
import Foundation
import Logging

/// `farm-bench dispatch`: the coordinator's own cost, in one run.
/// 1. A bare ZeroMQ ROUTER/DEALER round trip on loopback: the reference.
/// 2. Per clip, with one hand-driven worker: RESULT sent → clip file at its final path (the bench
///    spins on `access(2)` for that path), and file in place → next TASK received by the worker.
/// 3. Clips per second for one job with 1, 8 and 64 in-process render-free workers
///    (`WorkerDaemon` + the harness's `StandInClipProducer`), every clip checked accepted exactly once.
/// 4. The same throughput with the coordinator serving /metrics (`--metrics-address`) and a
///    scraper fetching it every second, against runs without, interleaved: the ratio is the cost
///    of monitoring to dispatch.
/// With `--curve`, stages 2 and 3 run twice, CURVE off then on (Ironhouse: keys and allow lists,
/// every worker and client authenticated and encrypted), so the rows compare in the same run.
/// Every coordinator runs in this process on a temporary state directory and logs root, removed after.
struct DispatchBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispatch",
        abstract: "Coordinator overhead per clip and dispatch throughput with render-free workers.")

    @Option(help: "Bare ROUTER/DEALER round trips timed.") var roundTrips = 2000
    @Option(help: "Clips timed one by one for the per-clip overhead.") var overheadClips = 300
    @Option(help: "One-clip jobs timed from SUBMIT to their TASK.") var overheadJobs = 50
    @Option(help: "Clips of the throughput job.") var clips = 640
    @Option(help: "Render-free worker counts (comma-separated).") var workers = "1,8,64"
    @Option(help: "Runs per worker count; the fastest counts.") var repeats = 1
    @Option(help: "Frames per clip a GPU farm records, for the demand the coordinator must meet.") var gpuClipFrames = 200
    @Option(help: "Render + encode fps of one GPU worker at 1280x720, for the demand the coordinator must meet.")
    var gpuFPS = 1000.0
    @Option(help: "GPUs (one worker each) of the farm whose demand is compared.") var gpus = 64
    @Option(help: "Clips of each monitored/unmonitored throughput run (long enough for several scrapes).")
    var scrapeClips = 4000
    @Option(help: "Workers of the monitored/unmonitored throughput runs.") var scrapeWorkers = 8
    @Option(help: "Interleaved pairs of monitored/unmonitored runs; the fastest of each counts (0: skip).")
    var scrapeRepeats = 3
    @Flag(help: "Print only the table's rows (tools/bench prints one header for all stages).") var rowsOnly = false
    @Flag(help: "Also run the per-clip and throughput stages with CURVE authentication on, for comparison.")
    var curve = false

    /// Env steps between clip starts and frames per clip of the benchmark jobs: tiny clips of a
    /// one-env Cartpole rollout, so the TASK's rollout slice is small and the coordinator's work shows.
    static let clipInterval = 10
    static let clipLength = 5

    func run() throws {
        guard roundTrips > 0, overheadClips > 1, overheadJobs > 0, clips > 0, repeats > 0 else {
            throw ValidationError("--round-trips, --overhead-jobs, --clips and --repeats must be positive, --overhead-clips at least 2")
        }
        let counts = try workers.split(separator: ",").map { text in
            guard let count = Int(text), count > 0 else { throw ValidationError("bad worker count \(text)") }
            return count
        }
        if !rowsOnly {
            print("# dispatch: \(ProcessInfo.processInfo.activeProcessorCount) cores, load \(Self.loadAverage())")
            print(BenchTable.header)
        }
        let bare = try Self.bareRoundTrips(roundTrips)
        print(BenchTable.row(["dispatch", "bare ZeroMQ ROUTER/DEALER round trip, loopback, 1.1 KB (\(roundTrips) trips)",
                              "—", "—", "—", "reference: median \(Self.micro(bare.median)), p99 \(Self.micro(bare.p99))",
                              "—", "—", "—"]))

        for secure in curve ? [false, true] : [false] {
            try measureCoordinator(curve: secure, reference: bare, counts: counts)
        }
        let largest = try LargestSubmission.measure()
        let interval = largest.heartbeatInterval
        func slowest(_ sample: Sample) -> String {
            "slowest STATUS \(Self.milli(sample.sorted.last ?? 0)) = "
                + String(format: "%.2f", (sample.sorted.last ?? 0) / interval)
                + " heartbeat intervals (target < 1), median \(Self.milli(sample.median))"
        }
        print(BenchTable.row([
            "dispatch", "largest SUBMIT allowed (\(largest.clips) clips) sent → reply, while another client asks STATUS "
                + "(\(largest.statusSample.count) answers)", "—", "—", "—",
            "SUBMIT \(Self.milli(largest.submitSeconds)); \(slowest(largest.statusSample))",
            "—", "—", "—",
        ]))
        print(BenchTable.row([
            "dispatch", "\(largest.refusedSubmits) more such SUBMITs, each refused by the queue limit (queue_full), "
                + "while another client asks STATUS (\(largest.refusedStatusSample.count) answers)", "—", "—", "—",
            "SUBMIT median \(Self.milli(largest.refusedSubmitSample.median)); \(slowest(largest.refusedStatusSample))",
            "—", "—", "—",
        ]))
    }

    /// Stages 2 and 3 on a coordinator with CURVE on or off; rows are marked when `--curve` compares.
    private func measureCoordinator(curve secure: Bool, reference bare: Sample, counts: [Int]) throws {
        let mark = curve ? (secure ? " [CURVE on]" : " [CURVE off]") : ""
        let overhead = try PerClipOverhead.measure(clips: overheadClips, jobs: overheadJobs, curve: secure)
        for (name, sample) in [("SUBMIT sent → first TASK received (validate, spool, commit, dispatch), one-clip jobs",
                                overhead.submission),
                               ("RESULT sent → clip file in place (write, fsync, rename)", overhead.filing),
                               ("clip in place → next TASK received (commit, dispatch, send)", overhead.dispatch),
                               ("RESULT sent → next TASK received (whole cycle)", overhead.cycle)] {
            print(BenchTable.row([
                "dispatch", "\(name), 1 worker (\(sample.count) samples)\(mark)", "—", "—", "—",
                "median \(Self.milli(sample.median)) (\(Self.times(sample.median / bare.median)) bare), "
                    + "p99 \(Self.milli(sample.p99)) (\(Self.times(sample.p99 / bare.p99)) bare)",
                "—", "—", "—",
            ]))
        }

        let demand = Double(gpus) * gpuFPS / Double(gpuClipFrames)
        for count in counts {
            var best: Throughput?
            for _ in 0..<repeats {
                let run = try Throughput.measure(workers: count, clips: clips, curve: secure)
                if best.map({ run.clipsPerSecond > $0.clipsPerSecond }) ?? true { best = run }
            }
            guard let best else { continue }
            print(BenchTable.row([
                "dispatch", "\(count) render-free worker\(count == 1 ? "" : "s") in-process, clips/s; "
                    + "per CPU-s of the coordinator thread (process: \(Self.milli(best.processCPUPerClip)) CPU per clip, workers included)\(mark)",
                "\(best.clipsAcceptedOnce)/\(clips) clips", String(format: "%.0f", best.clipsPerSecond),
                String(format: "%.0f", Double(clips) / best.coordinatorCPU),
                "\(Self.times(best.clipsPerSecond / demand)) a \(gpus)-GPU farm's \(String(format: "%.0f", demand)) clips/s "
                    + "(\(gpuClipFrames)-frame clips at \(String(format: "%.0f", gpuFPS)) fps each)",
                "—", "—", "—",
            ]))
        }
        if scrapeRepeats > 0 { try compareScraping() }
    }

    /// Dispatch throughput with /metrics scraped every second against the same job unscraped, runs
    /// interleaved so a change in the machine's load hits both.
    private func compareScraping() throws {
        var bare: Throughput?
        var scraped: Throughput?
        var scrapes = 0
        for _ in 0..<scrapeRepeats {
            let plain = try Throughput.measure(workers: scrapeWorkers, clips: scrapeClips)
            if bare.map({ plain.clipsPerSecond > $0.clipsPerSecond }) ?? true { bare = plain }
            let monitored = try Throughput.measure(workers: scrapeWorkers, clips: scrapeClips, scrapeEvery: 1)
            if scraped.map({ monitored.clipsPerSecond > $0.clipsPerSecond }) ?? true {
                scraped = monitored
                scrapes = monitored.scrapes
            }
        }
        guard let bare, let scraped else { return }
        let ratio = scraped.clipsPerSecond / bare.clipsPerSecond
        print(BenchTable.row([
            "dispatch", "\(scrapeWorkers) render-free workers, clips/s with /metrics served and scraped every 1 s "
                + "(\(scrapes) scrapes in the fastest run); reference: the same job unscraped, fastest of \(scrapeRepeats) interleaved runs each",
            "\(scraped.clipsAcceptedOnce)/\(scrapeClips) clips", String(format: "%.0f", scraped.clipsPerSecond),
            String(format: "%.0f", Double(scrapeClips) / scraped.coordinatorCPU),
            String(format: "%.3f× unscraped (%.0f clips/s); target ≥ 0.98. Coordinator thread CPU per clip %.3f ms vs %.3f ms unscraped",
                   ratio, bare.clipsPerSecond, scraped.coordinatorCPU / Double(scrapeClips) * 1e3,
                   bare.coordinatorCPU / Double(scrapeClips) * 1e3),
            "—", "—", "—",
        ]))
    }

    // MARK: Bare round trip

    static func bareRoundTrips(_ count: Int) throws -> Sample {
        let context = try ZMQContext()
        let router = try ZMQSocket(context: context, kind: .router)
        let dealer = try ZMQSocket(context: context, kind: .dealer)
        defer {
            dealer.close()
            router.close()
        }
        try dealer.connect(try router.bind("tcp://127.0.0.1:0"))
        // About a RESULT's size: header, command, JSON body and the tiny clip.
        let payload = [Data(ProtocolVersion.header.utf8), Data("RESULT".utf8), Data(repeating: 0x7b, count: 200),
                       try StandInClips.clip(.init(width: 16, height: 16, frameRate: FrameRate(numerator: 30, denominator: 1),
                                                   frames: 1))]
        var seconds: [Double] = []
        seconds.reserveCapacity(count)
        for trip in 0..<(count + count / 10) {
            let start = Stopwatch.now()
            try dealer.send(payload, wait: true)
            guard let request = try router.receive(timeout: .seconds(5)) else { throw Failure("ROUTER heard nothing for 5 s") }
            try router.send(request)
            guard try dealer.receive(timeout: .seconds(5)) != nil else { throw Failure("DEALER heard nothing for 5 s") }
            // The first tenth warms the connection and caches up; it is not counted.
            if trip >= count / 10 { seconds.append(Stopwatch.since(start)) }
        }
        return Sample(seconds)
    }

    // MARK: Formatting

    static func micro(_ seconds: Double) -> String { String(format: "%.1f µs", seconds * 1e6) }
    static func milli(_ seconds: Double) -> String { String(format: "%.2f ms", seconds * 1e3) }
    static func times(_ ratio: Double) -> String { String(format: ratio >= 10 ? "%.0f×" : "%.1f×", ratio) }

    static func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?")
            .split(separator: " ").prefix(3).joined(separator: " ")
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = "farm-bench dispatch: \(description)" }
    }
}

/// Durations in seconds, with the order statistics the table shows.
struct Sample {
    let sorted: [Double]
    init(_ values: [Double]) { sorted = values.sorted() }
    var count: Int { sorted.count }
    var median: Double { sorted[sorted.count / 2] }
    var p99: Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))] }
}

/// Monotonic time for intervals measured within this process.
enum Stopwatch {
    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
    static func since(_ start: UInt64) -> Double { Double(now() - start) / 1e9 }
}

// MARK: - A coordinator in this process

/// A coordinator in this process on free loopback ports with a temporary state directory and logs
/// root; `shutDown()` stops it and removes the directory.
final class BenchCoordinator {
    let served: InProcessCoordinator
    let directory: String
    var coordinator: Coordinator { served.coordinator }

    /// The keys workers and clients present when CURVE is on.
    let auth: BenchAuth?
    /// The coordinator's /metrics and dashboard, when the run measures them.
    private(set) var monitor: MonitorServer?
    private(set) var monitorAddress: MonitorAddress?

    init(curve: Bool = false, monitored: Bool = false, queueLimits: QueueLimits = .standard) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("farm-bench-dispatch-\(getpid())-\(UUID().uuidString.prefix(8))").path
        var logger = Logger(label: "farm.coordinator.bench")
        logger.logLevel = .error
        auth = curve ? try BenchAuth(directory: directory + "/keys") : nil
        let metrics = monitored ? FarmMetrics() : nil
        served = try InProcessCoordinator(
            config: CoordinatorConfig(stateDirectory: directory + "/state", logsRoot: directory + "/logs",
                                      queueLimits: queueLimits, security: auth?.security),
            logger: logger, monitor: metrics,
            onStop: { FileHandle.standardError.write(Data("coordinator stopped: \($0)\n".utf8)) })
        if let metrics {
            var quiet = Logger(label: "farm.monitor.bench")
            quiet.logLevel = .error
            let server = MonitorServer(address: MonitorAddress(host: "127.0.0.1", port: 0), metrics: metrics,
                                       sources: served.coordinator.monitorSources, logger: quiet)
            monitorAddress = try server.start()
            monitor = server
        }
    }

    deinit { shutDown() }

    /// CPU seconds the coordinator's thread has used (its ZeroMQ I/O thread is not included).
    func cpuSeconds() throws -> Double {
        guard let seconds = served.cpuSeconds() else { throw DispatchBench.Failure("no CPU clock for the coordinator thread") }
        return seconds
    }

    func shutDown() {
        monitor?.shutdown()
        served.shutDown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A client socket; `request` waits up to 10 s for each reply.
    func client(context: ZMQContext) throws -> ZMQSocket {
        let socket = try ZMQSocket(context: context, kind: .dealer)
        if let auth { try socket.useCurveClient(auth.client) }
        try socket.connect(coordinator.clientEndpoint)
        return socket
    }

    static func request(_ client: ZMQSocket, _ request: ClientRequest) throws -> OkReply {
        try client.send(request.frames, wait: true)
        return try reply(client, to: request)
    }

    static func reply(_ client: ZMQSocket, to request: ClientRequest) throws -> OkReply {
        guard let frames = try client.receive(timeout: .seconds(10)) else {
            throw DispatchBench.Failure("the coordinator did not answer \(request.command.rawValue) within 10 s")
        }
        switch try ClientReply.parse(frames) {
        case .ok(let reply): return reply
        case .error(let error): throw DispatchBench.Failure("\(request.command.rawValue) refused: \(error.message)")
        }
    }

    /// SUBMIT of a job of `clips` tiny clips over the built-in one-env Cartpole rollout.
    static func submission(run: String, clips: Int) throws -> ClientRequest {
        let cartpole = try CartpoleRollout(.init(steps: clips * DispatchBench.clipInterval, numEnvs: 1)).rollout()
        let rollout = try RolloutWriter.encode(header: cartpole.header, bodyQ: cartpole.rows.values, meshes: cartpole.meshData)
        let job = SubmitJob(workflow: "rl_games", task: "Isaac-Cartpole-v0", run: run, videoLength: DispatchBench.clipLength,
                            videoInterval: DispatchBench.clipInterval, backendInputs: BackendInputs(presets: ["newton_mjwarp"]))
        return .submit(job, rollout: rollout)
    }

    static func submit(_ client: ZMQSocket, run: String, clips: Int) throws -> FarmWire.JobRecord {
        try checked(request(client, submission(run: run, clips: clips)), clips: clips)
    }

    static func checked(_ reply: OkReply, clips: Int) throws -> FarmWire.JobRecord {
        guard let record = reply.job else {
            throw DispatchBench.Failure("SUBMIT was accepted without a job record")
        }
        guard record.clipsTotal == clips else {
            throw DispatchBench.Failure("planned \(record.clipsTotal) clips, expected \(clips)")
        }
        return record
    }
}

// MARK: - Per-clip overhead

/// One worker driven by hand on a DEALER socket, so each step of a clip's round can be timed.
struct PerClipOverhead {
    /// SUBMIT sent → the job's first TASK received, over one-clip jobs.
    let submission: Sample
    let filing: Sample
    let dispatch: Sample
    let cycle: Sample

    static func measure(clips: Int, jobs: Int, curve: Bool) throws -> PerClipOverhead {
        let farm = try BenchCoordinator(curve: curve)
        defer { farm.shutDown() }
        let context = try ZMQContext()
        let worker = try ZMQSocket(context: context, kind: .dealer)
        let client = try farm.client(context: context)
        defer {
            worker.close()
            client.close()
        }
        try worker.setIdentity(Data("probe".utf8))
        if let auth = farm.auth { try worker.useCurveClient(auth.worker) }
        try worker.connect(farm.coordinator.workerEndpoint)
        try worker.send(WorkerMessage.ready(Ready(workerId: "probe", host: "bench", pid: Int(getpid()), device: .none,
                                                  backends: VideoBackend.allCases, encoders: ["libx264"],
                                                  version: FarmWorkerVersion.current)).frames, wait: true)
        // One-clip jobs: the coordinator dispatches a job's first clip while handling its SUBMIT,
        // before the reply, so acceptance to dispatch is timed from the SUBMIT going out.
        var submission: [Double] = []
        for index in 0..<jobs {
            let request = try BenchCoordinator.submission(run: "accept\(index)", clips: 1)
            let sent = Stopwatch.now()
            try client.send(request.frames, wait: true)
            let task = try nextTask(worker)
            submission.append(Stopwatch.since(sent))
            let job = try BenchCoordinator.checked(try BenchCoordinator.reply(client, to: request), clips: 1)
            try finish(task, worker: worker, videoDir: job.videoDir)
        }

        let job = try BenchCoordinator.submit(client, run: "overhead", clips: clips)
        var filing: [Double] = [], dispatch: [Double] = [], cycle: [Double] = []
        var task = try nextTask(worker)
        var lastBeat = Stopwatch.now()
        for done in 1...clips {
            // Heartbeats outside the timed span keep the probe alive (3 silent seconds would lose it).
            if Stopwatch.since(lastBeat) > 0.5 {
                try worker.send(WorkerMessage.heartbeat(WorkerHeartbeat(
                    state: .rendering, jobId: task.jobId, clipId: task.clipId, attempt: task.attempt,
                    framesDone: task.steps.count, framesTotal: task.steps.count, rssBytes: 0)).frames, wait: true)
                lastBeat = Stopwatch.now()
            }
            let (sent, filed) = try finish(task, worker: worker, videoDir: job.videoDir)
            filing.append(Double(filed - sent) / 1e9)
            guard done < clips else { break }
            task = try nextTask(worker)
            let received = Stopwatch.now()
            dispatch.append(Double(received - filed) / 1e9)
            cycle.append(Double(received - sent) / 1e9)
        }
        return PerClipOverhead(submission: Sample(submission), filing: Sample(filing), dispatch: Sample(dispatch),
                               cycle: Sample(cycle))
    }

    /// Sends the tiny clip as the task's RESULT and waits for it at its final path; returns when
    /// the RESULT went out and when the file was seen (`Stopwatch` nanoseconds).
    @discardableResult
    private static func finish(_ task: TaskAssignment, worker: ZMQSocket, videoDir: String) throws -> (sent: UInt64, filed: UInt64) {
        let path = (videoDir as NSString).appendingPathComponent(task.clipFile)
        let clip = try StandInClips.clip(.init(task))
        let stats = FarmWire.ClipStats(frames: task.steps.count, fps: task.fps, wallMs: 0, bytes: clip.count)
        let result = WorkerMessage.result(TaskResult(jobId: task.jobId, clipId: task.clipId, attempt: task.attempt,
                                                     stats: stats), mp4: clip).frames
        let sent = Stopwatch.now()
        try worker.send(result, wait: true)
        try waitForFile(path)
        return (sent, Stopwatch.now())
    }

    /// Spins on `access(2)` (yielding the core between tries) until the clip exists at its final
    /// name: it appears there only by the coordinator's rename.
    private static func waitForFile(_ path: String) throws {
        let deadline = Stopwatch.now() + 10_000_000_000
        while access(path, F_OK) != 0 {
            guard Stopwatch.now() < deadline else { throw DispatchBench.Failure("\(path) did not appear within 10 s") }
            sched_yield()
        }
    }

    private static func nextTask(_ worker: ZMQSocket) throws -> TaskAssignment {
        while true {
            guard let frames = try worker.receive(timeout: .seconds(10)) else {
                throw DispatchBench.Failure("no TASK for 10 s")
            }
            switch try CoordinatorMessage.parse(frames) {
            case .task(let task, _): return task
            case .heartbeat: continue
            case let other: throw DispatchBench.Failure("the probe worker expected TASK, got \(other.command.rawValue)")
            }
        }
    }
}

// MARK: - Throughput

/// One job on a fresh coordinator served by in-process render-free workers. The rate is the
/// coordinator's own span: clips / (job finished − job submitted), both its timestamps.
struct Throughput {
    let clipsPerSecond: Double
    /// CPU seconds of the coordinator's thread from just before SUBMIT to the job's end.
    let coordinatorCPU: Double
    /// CPU seconds of this whole process (coordinator, workers, bench) per clip.
    let processCPUPerClip: Double
    let clipsAcceptedOnce: Int
    /// /metrics fetched while the job ran.
    var scrapes = 0

    /// `scrapeEvery`: seconds between fetches of /metrics during the job; nil: not monitored.
    static func measure(workers count: Int, clips: Int, curve: Bool = false, scrapeEvery: Double? = nil) throws -> Throughput {
        let farm = try BenchCoordinator(curve: curve, monitored: scrapeEvery != nil)
        defer { farm.shutDown() }
        var logger = Logger(label: "farm-worker.bench")
        logger.logLevel = .error
        let fleet = try RenderFreeFleet(count: count, coordinator: farm.coordinator.workerEndpoint,
                                        scratch: farm.directory + "/scratch", curve: farm.auth?.worker, logger: logger,
                                        onStop: { FileHandle.standardError.write(Data("worker stopped: \($0)\n".utf8)) })
        defer { fleet.shutDown() }
        let context = try ZMQContext()
        let client = try farm.client(context: context)
        defer { client.close() }
        try waitUntil("\(count) workers registered", client) { reply in
            (reply.workers?.filter { $0.state == .idle }.count ?? 0) == count
        } query: { .workers(WorkersQuery()) }

        let scraper = try farm.monitorAddress.map { address in
            try MetricsScraper(url: "\(address.url)metrics", every: scrapeEvery ?? 1)
        }
        let (coordinatorStart, processStart) = (try farm.cpuSeconds(), processCPUSeconds())
        let job = try BenchCoordinator.submit(client, run: "throughput\(count)", clips: clips)
        // Wait on the file system first, so that STATUS (which lists every clip) is asked only at the end.
        try waitUntil("\(clips) clips in \(job.videoDir)") {
            ((try? FileManager.default.contentsOfDirectory(atPath: job.videoDir)) ?? []).filter { $0.hasSuffix(".mp4") }.count >= clips
        }
        var record = job
        try waitUntil("job \(job.id) finished", client) { reply in
            if let job = reply.job { record = job }
            return reply.job?.state.isTerminal ?? false
        } query: { .status(StatusQuery(jobId: job.id)) }
        let (coordinatorCPU, processCPU) = (try farm.cpuSeconds() - coordinatorStart, processCPUSeconds() - processStart)
        let scrapes = try scraper?.stop() ?? 0

        guard record.state == .completed, let finished = record.finishedAt, let clipRecords = record.clips else {
            throw DispatchBench.Failure("job \(job.id) ended \(record.state.rawValue): \(record.error ?? "no error given")")
        }
        let acceptedOnce = clipRecords.filter { $0.state == .done && $0.attempts == 1 }.count
        let files = try FileManager.default.contentsOfDirectory(atPath: record.videoDir)
        guard acceptedOnce == clips, files.count == clips, Set(files) == Set(clipRecords.map(\.file)) else {
            throw DispatchBench.Failure("\(acceptedOnce) of \(clips) clips done at the first attempt, \(files.count) files in \(record.videoDir)")
        }
        return Throughput(clipsPerSecond: Double(clips) / (finished - record.submittedAt), coordinatorCPU: coordinatorCPU,
                          processCPUPerClip: processCPU / Double(clips), clipsAcceptedOnce: acceptedOnce, scrapes: scrapes)
    }

    /// Asks every 20 ms until `done` holds (at most 60 s). Each STATUS costs the coordinator a
    /// little time, counted in its CPU; the clips/s figure uses its own timestamps, not this poll.
    private static func waitUntil(_ what: String, _ client: ZMQSocket, _ done: (OkReply) -> Bool,
                                  query: () -> ClientRequest) throws {
        try waitUntil(what) { done(try BenchCoordinator.request(client, query())) }
    }

    private static func waitUntil(_ what: String, _ done: () throws -> Bool) throws {
        let deadline = Stopwatch.now() + 60_000_000_000
        while try !done() {
            guard Stopwatch.now() < deadline else { throw DispatchBench.Failure("gave up waiting for \(what) after 60 s") }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    private static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}

/// Keys for a CURVE-authenticated bench farm: the coordinator's pair and allow lists (one worker
/// key shared by the fleet, one client key), written under `directory`.
struct BenchAuth {
    let security: CoordinatorSecurity
    let worker: CurveClientKeys
    let client: CurveClientKeys

    init(directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let (server, worker, client) = (try CurveKeyPair.generate(), try CurveKeyPair.generate(), try CurveKeyPair.generate())
        try "\(worker.publicKey)\n".write(toFile: directory + "/workers.allow", atomically: true, encoding: .utf8)
        try "\(client.publicKey)\n".write(toFile: directory + "/clients.allow", atomically: true, encoding: .utf8)
        security = CoordinatorSecurity(keys: server, workers: try AllowList(path: directory + "/workers.allow"),
                                       clients: try AllowList(path: directory + "/clients.allow"))
        self.worker = CurveClientKeys(serverKey: server.publicKey, keys: worker)
        self.client = CurveClientKeys(serverKey: server.publicKey, keys: client)
    }
}
