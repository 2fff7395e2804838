import ArgumentParser
import FarmCLI
import FarmCoordinator
import FarmCore
import FarmMonitor
import Foundation
import Logging

/// `farm-coordinator`: serves the farm until SIGTERM or SIGINT. Every setting comes from the flag,
/// else the environment (`FARM_STATE_DIR`, `FARM_LOGS_ROOT`), else `configs/farm.yaml`.
@main
struct FarmCoordinatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "farm-coordinator",
        abstract: "Distribute clip-recording tasks to farm workers and file their clips.",
        discussion: """
            On start it resumes every unfinished job in the state directory's database. SIGTERM or \
            SIGINT stops it after the message in hand; jobs, clips and attempts stay consistent on disk.
            """)

    @Option(name: .customLong("state-dir"),
            help: "SQLite state, spooled rollouts and heartbeats.jsonl (default: $FARM_STATE_DIR, else farm.yaml's state_dir).")
    var stateDirectory: String?

    @Option(name: .customLong("logs-root"),
            help: "Clips land in <logs-root>/<workflow>/<task>/<run>/videos/train (default: $FARM_LOGS_ROOT, else farm.yaml's logs_root).")
    var logsRoot: String?

    @Option(name: .customLong("worker-endpoint"),
            help: "ZeroMQ endpoint to bind for workers (default: farm.yaml's worker_endpoint).")
    var workerEndpoint: String?

    @Option(name: .customLong("client-endpoint"),
            help: "ZeroMQ endpoint to bind for farmctl and trainers (default: farm.yaml's client_endpoint).")
    var clientEndpoint: String?

    @Option(name: .customLong("config-dir"),
            help: "Directory holding farm.yaml, presets.yaml and tasks/ (default: $FARM_CONFIG_DIR, ./configs, the package's configs/, else built-in).")
    var configDirectory: String?

    @Option(name: .customLong("curve-key-file"),
            help: "This coordinator's CURVE key pair file; turns authentication on (default: farm.yaml's coordinator_key_file).")
    var curveKeyFile: String?

    @Option(name: .customLong("worker-allow-list"),
            help: "Public keys of the workers allowed to connect, one per line (default: farm.yaml's worker_allow_list).")
    var workerAllowList: String?

    @Option(name: .customLong("client-allow-list"),
            help: "Public keys of the clients allowed to connect (default: farm.yaml's client_allow_list).")
    var clientAllowList: String?

    @Option(name: .customLong("operator-allow-list"),
            help: "Public keys of clients that may also cancel others' jobs (default: farm.yaml's operator_allow_list).")
    var operatorAllowList: String?

    @Option(name: .customLong("metrics-address"),
            help: "HOST:PORT to serve Prometheus /metrics and the dashboard on, e.g. 127.0.0.1:9464; port 0 picks a free one (default: farm.yaml's metrics_address, else off).")
    var metricsAddress: String?

    @Option(name: .customLong("max-open-clips"),
            help: "Open clips (not yet done, failed or cancelled) all jobs together may hold; a SUBMIT past it is refused with queue_full (default: \(QueueLimits.standard.maxOpenClips)).")
    var maxOpenClips: Int?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    /// CURVE security when a key file is set (flag, else farm.yaml); the worker and client allow
    /// lists are then required.
    func security(_ settings: FarmSettings) throws -> CoordinatorSecurity? {
        guard let keyFile = curveKeyFile ?? settings.coordinatorKeyFile else {
            if workerAllowList != nil || clientAllowList != nil || operatorAllowList != nil {
                throw failure("farm-coordinator: allow lists are set but no --curve-key-file: the sockets would be open")
            }
            return nil
        }
        guard let workers = workerAllowList ?? settings.workerAllowList,
              let clients = clientAllowList ?? settings.clientAllowList else {
            throw failure("farm-coordinator: CURVE is on (key file \(keyFile)) but --worker-allow-list or "
                + "--client-allow-list (farm.yaml's worker_allow_list, client_allow_list) is missing")
        }
        do {
            return try CoordinatorSecurity(keyFile: keyFile, workerAllowList: workers, clientAllowList: clients,
                                           operatorAllowList: operatorAllowList ?? settings.operatorAllowList)
        } catch {
            throw failure("farm-coordinator: \(error)")
        }
    }

    func validate() throws {
        if let maxOpenClips, maxOpenClips < 1 {
            throw ValidationError("--max-open-clips is \(maxOpenClips); it must be at least 1")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level '\(logLevel)' is not one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { OneLineLogHandler(label: $0, level: level) }
        // Every connection is a descriptor: take the hard limit, not the 1024 a shell's soft limit gives.
        let descriptors = DescriptorBudget.raiseSoftLimit()
        Logger(label: "farm.coordinator").info("descriptor limit \(descriptors)")
        let farm: FarmConfiguration
        do {
            farm = try FarmConfiguration.discover(explicitDirectory: configDirectory)
        } catch {
            throw failure("\(error)")
        }
        let environment = ProcessInfo.processInfo.environment
        var config = CoordinatorConfig(farm: farm)
        config.stateDirectory = stateDirectory ?? environment["FARM_STATE_DIR"].nonEmpty ?? config.stateDirectory
        config.logsRoot = logsRoot ?? environment["FARM_LOGS_ROOT"].nonEmpty ?? config.logsRoot
        config.workerEndpoint = workerEndpoint ?? config.workerEndpoint
        config.clientEndpoint = clientEndpoint ?? config.clientEndpoint
        config.security = try security(farm.farm)
        if let maxOpenClips { config.queueLimits.maxOpenClips = maxOpenClips }

        let monitorAddress: MonitorAddress?
        do {
            monitorAddress = try (metricsAddress ?? farm.farm.metricsAddress).map { text throws(MonitorError) in
                try MonitorAddress(parsing: text)
            }
        } catch {
            throw failure("farm-coordinator: \(error)")
        }
        let metrics = monitorAddress.map { _ in FarmMetrics() }

        let coordinator: Coordinator
        do {
            coordinator = try Coordinator(config: config, monitor: metrics)
        } catch {
            throw failure("farm-coordinator: \(error)")
        }
        var server: MonitorServer?
        if let monitorAddress, let metrics {
            let monitor = MonitorServer(address: monitorAddress, metrics: metrics, sources: coordinator.monitorSources)
            do {
                let bound = try monitor.start()
                // One line on stdout that scripts (farmctl up, tools/demo, tests) read the URL from.
                FileHandle.standardOutput.write(Data("dashboard: \(bound.url)\n".utf8))
            } catch {
                monitor.shutdown()
                throw failure("farm-coordinator: \(error)")
            }
            server = monitor
        }
        defer { server?.shutdown() }
        let signals = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { coordinator.stop() }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }
        do {
            try coordinator.run()
        } catch {
            throw failure("farm-coordinator: \(error)")
        }
    }

    private func failure(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        return ExitCode.failure
    }
}

extension Optional where Wrapped == String {
    /// nil for an unset or empty variable.
    var nonEmpty: String? {
        guard let value = self, !value.isEmpty else { return nil }
        return value
    }
}
