import FarmHarness
import FarmLaunch
import FarmTestSupport
import FarmWire
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A farm made of real processes (the built `farm-coordinator`, `farm-worker` and `farmctl`) on
/// loopback ports nobody else uses, in a temporary directory. Everything it starts is killed and the
/// directory removed when it goes away, whatever the test did. Processes may be started from
/// several threads at once.
final class FarmProcesses: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible { let description: String }

    let directory: URL
    let workerEndpoint: String
    let clientEndpoint: String
    private(set) var coordinator: Process?
    private(set) var workers: [Process] = []
    private var logCount = 0
    /// Guards `workers` and `logCount`.
    private let lock = NSLock()

    var stateDirectory: String { directory.appendingPathComponent("state").path }
    var logsRoot: String { directory.appendingPathComponent("logs").path }

    /// The farm's binaries by the launchers' one rule (`FARM_BIN`, else beside the test bundle,
    /// which `swift build` puts with the executables).
    static let binDirectory = URL(fileURLWithPath: FarmBinaries.directory())

    init() throws {
        for tool in ["farm-coordinator", "farm-worker", "farmctl"] {
            _ = try FarmBinaries.path(of: tool, in: Self.binDirectory.path)
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("farm-it-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        workerEndpoint = try LoopbackPorts.freeEndpoint()
        clientEndpoint = try LoopbackPorts.freeEndpoint()
    }

    deinit {
        for process in workers + [coordinator].compactMap({ $0 }) where process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// `descriptorLimit`: run it under `prlimit --nofile=N:N` (soft and hard), as a small host would.
    @discardableResult
    func startCoordinator(_ extra: [String] = [], descriptorLimit: Int? = nil) throws -> Process {
        let process = try launch("farm-coordinator", ["--state-dir", stateDirectory, "--logs-root", logsRoot,
                                                      "--worker-endpoint", workerEndpoint, "--client-endpoint", clientEndpoint]
                                                      + extra,
                                 under: descriptorLimit.map { ["/usr/bin/prlimit", "--nofile=\($0):\($0)", "--"] } ?? [])
        coordinator = process
        return process
    }

    @discardableResult
    func startWorker(_ extra: [String] = []) throws -> Process {
        let process = try launch("farm-worker", ["--coordinator", workerEndpoint] + extra)
        lock.withLock { workers.append(process) }
        return process
    }

    func killHard(_ process: Process) {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Kills `coordinator` hard, starts a new one on the same state directory, and waits with
    /// `farmctl status --wait` for `job` to settle; returns its record (`farmctl` exit status checked).
    func restartCoordinator(_ coordinator: Process, thenWaitFor job: String) throws -> JobRecord {
        killHard(coordinator)
        try startCoordinator()
        let waited = try farmctl(["status", job, "--wait", "--json"])
        guard waited.status == 0 else { throw Failure(description: "farmctl status \(job) --wait: \(waited.stderr)") }
        return try status(job)
    }

    /// Runs farmctl; client commands talk to this farm's coordinator.
    func farmctl(_ arguments: [String]) throws -> ProcessOutput {
        let clientCommands: Set = ["submit", "status", "workers", "cancel", "retry", "fetch"]
        return try ProcessOutput.run(Self.binDirectory.appendingPathComponent("farmctl"),
                                     clientCommands.contains(arguments[0])
                                         ? [arguments[0], "--coordinator", clientEndpoint] + arguments.dropFirst() : arguments)
    }

    /// Submits the built-in Cartpole run at a small frame size; returns the job id.
    func submit(_ extra: [String], wait: Bool = false) throws -> (status: Int32, job: JobRecord?, stderr: String) {
        var arguments = ["submit", "--task", "Isaac-Cartpole-v0", "--builtin", "cartpole", "--json"] + extra
        if wait { arguments.append("--wait") }
        let result = try farmctl(arguments)
        return (result.status, try? WireJSON.decode(JobRecord.self, from: result.stdout, command: "submit"), result.stderr)
    }

    func status(_ job: String) throws -> JobRecord {
        let result = try farmctl(["status", job, "--json"])
        guard result.status == 0 else { throw Failure(description: "farmctl status \(job) failed: \(result.stderr)") }
        return try WireJSON.decode(JobRecord.self, from: result.stdout, command: "status")
    }

    func workersReport() throws -> [WorkerRecord] {
        let result = try farmctl(["workers", "--json"])
        guard result.status == 0 else { throw Failure(description: "farmctl workers failed: \(result.stderr)") }
        return try WireJSON.decode([WorkerRecord].self, from: result.stdout, command: "workers")
    }

    /// Polls `condition` until it holds or `timeout` passes (then fails with `what`).
    func waitUntil(_ what: String, timeout: Duration = .seconds(120), _ condition: () throws -> Bool) throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw Failure(description: "timed out after \(timeout) waiting for \(what); logs in \(logsText())")
    }

    /// Waits until the (first) coordinator's log has a line containing `phrase`.
    func waitForCoordinatorLog(_ phrase: String, what: String, timeout: Duration = .seconds(60)) throws {
        let log = directory.appendingPathComponent("1-farm-coordinator.log")
        try waitUntil(what, timeout: timeout) { ((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains(phrase) }
    }

    /// The files (not folders) under the job's video directory, sorted.
    func clipFiles(_ job: JobRecord) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: job.videoDir)) ?? []).sorted()
    }

    private func launch(_ tool: String, _ arguments: [String], under wrapper: [String] = []) throws -> Process {
        let number = lock.withLock {
            logCount += 1
            return logCount
        }
        return try FarmChild.launch(try FarmBinaries.path(of: tool, in: Self.binDirectory.path), name: tool,
                                    arguments: arguments,
                                    log: directory.appendingPathComponent("\(number)-\(tool).log").path,
                                    wrapper: wrapper).process
    }

    /// The last lines of every log, to say what the farm was doing when a check failed.
    func logsText() -> String {
        let logs = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".log") }
        return logs.sorted().map { name in
            let text = (try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)) ?? ""
            return " [\(name): " + text.split(separator: "\n").suffix(4).joined(separator: " | ") + "]"
        }.joined()
    }
}
