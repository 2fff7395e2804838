import ArgumentParser
import Dispatch
import FarmCore
import FarmLaunch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Options shared by `up` and `demo`: where the local farm keeps its state and files its clips.
struct LocalFarmOptions: ParsableArguments {
    @Option(help: "Workers to start (default: one per usable GPU EGL device, else one on the software device).")
    var workers: Int?

    @Option(name: .customLong("workers-per-gpu"),
            help: "Workers per GPU (or on the software device), each encoding its own clips with cores / workers libx264 threads (default: $FARM_WORKERS_PER_GPU, else 1; docs/ENCODING.md).")
    var workersPerGPU: Int?

    @Option(name: .customLong("state-dir"), help: "Coordinator state directory (default: farm.yaml's state_dir).")
    var stateDirectory: String?

    @Option(name: .customLong("logs-root"), help: "Where clips land (default: farm.yaml's logs_root).")
    var logsRoot: String?

    func validate() throws {
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
        _ = try perDevice()
    }

    /// `--workers-per-gpu`, else `FARM_WORKERS_PER_GPU`, else 1.
    func perDevice() throws -> Int {
        let environment = ProcessInfo.processInfo.environment["FARM_WORKERS_PER_GPU"]
        let count = workersPerGPU ?? environment.map { Int($0) ?? 0 } ?? 1
        guard count >= 1 else {
            throw ValidationError("--workers-per-gpu (or FARM_WORKERS_PER_GPU=\(environment ?? "")) must be a whole number ≥ 1")
        }
        return count
    }

    func plan(configuration: FarmConfiguration, configDirectory: String?, workerEndpoint: String,
              clientEndpoint: String) throws -> LocalFarm.Plan {
        let bin = FarmBinaries.directory()
        let devices = try WorkerPlacement.probe(binDirectory: bin)
        return LocalFarm.Plan(
            binDirectory: bin,
            stateDirectory: stateDirectory ?? configuration.farm.stateDirectory,
            logsRoot: logsRoot ?? configuration.farm.logsRoot,
            workerEndpoint: workerEndpoint, clientEndpoint: clientEndpoint,
            workers: WorkerPlacement.workers(devices: devices, requested: workers, perDevice: try perDevice(),
                                             cores: ProcessInfo.processInfo.activeProcessorCount),
            configDirectory: configDirectory ?? configuration.directory,
            metricsAddress: try configuration.farm.metricsAddress ?? LoopbackPorts.freeAddress())
    }
}

/// `farmctl up`: a local farm in the foreground until Ctrl-C (or SIGTERM).
struct UpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Run a local farm (coordinator + workers) in the foreground; Ctrl-C stops it cleanly.")

    @OptionGroup var config: ConfigOptions
    @OptionGroup var local: LocalFarmOptions

    func run() throws {
        try reportingFailures {
            let configuration = try config.load()
            let plan = try local.plan(configuration: configuration, configDirectory: config.configDirectory,
                                      workerEndpoint: configuration.farm.workerEndpoint,
                                      clientEndpoint: configuration.farm.clientEndpoint)
            let farm = LocalFarm(plan: plan)
            let stop = StopSignal()
            do { try farm.start() } catch {
                farm.stop(grace: 5)
                throw CommandFailure(message: "farmctl up: \(error)")
            }
            print("farm up: coordinator on \(plan.clientEndpoint) (workers connect to \(plan.workerEndpoint)), "
                + "\(plan.workers.count) worker(s); logs in \(farm.logDirectory); Ctrl-C to stop")
            if let url = plan.dashboardURL { print("dashboard: \(url)  (Prometheus metrics at \(url)metrics)") }
            print("submit with: farmctl submit --coordinator \(plan.clientEndpoint) --builtin cartpole --steps 600 --num_envs 16 --task Isaac-Cartpole-v0")
            while !stop.wait(seconds: 1) {
                let exited = farm.exitedChildren
                if !exited.isEmpty {
                    printError("farmctl up: \(exited.joined(separator: ", ")) exited; stopping the farm (logs in \(farm.logDirectory))")
                    farm.stop()
                    throw ExitCode.failure
                }
            }
            print("stopping: workers finish their clips, then the coordinator saves its state")
            farm.stop()
        }
    }
}

/// SIGINT/SIGTERM delivered as an event the main loop waits on (no work in a signal handler).
final class StopSignal: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private var sources: [DispatchSourceSignal] = []

    init() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [semaphore] in semaphore.signal() }
            source.resume()
            sources.append(source)
        }
    }

    /// True once a stop signal has arrived.
    func wait(seconds: Double) -> Bool {
        semaphore.wait(timeout: .now() + seconds) == .success
    }
}
