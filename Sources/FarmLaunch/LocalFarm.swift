import Foundation

/// A coordinator and its workers as child processes of `farmctl up` / `farmctl demo`. Each child's
/// output goes to `<state-dir>/local/<name>.log`; stopping sends SIGTERM to the workers first (they
/// finish their clip and leave), then to the coordinator, and SIGKILL to anything still there after
/// a grace period.
public final class LocalFarm {
    public struct Plan {
        public var binDirectory: String
        public var stateDirectory: String
        public var logsRoot: String
        public var workerEndpoint: String
        public var clientEndpoint: String
        /// One argument list per worker (device flags).
        public var workers: [[String]]
        public var configDirectory: String?
        /// `HOST:PORT` of the coordinator's /metrics and dashboard.
        public var metricsAddress: String?

        public init(binDirectory: String = FarmBinaries.directory(), stateDirectory: String, logsRoot: String,
                    workerEndpoint: String, clientEndpoint: String, workers: [[String]], configDirectory: String? = nil,
                    metricsAddress: String? = nil) {
            self.binDirectory = binDirectory
            self.stateDirectory = stateDirectory
            self.logsRoot = logsRoot
            self.workerEndpoint = workerEndpoint
            self.clientEndpoint = clientEndpoint
            self.workers = workers
            self.configDirectory = configDirectory
            self.metricsAddress = metricsAddress
        }

        /// The dashboard's URL as a browser on this machine opens it.
        public var dashboardURL: String? {
            guard let address = metricsAddress, let colon = address.lastIndex(of: ":") else { return nil }
            let host = address[..<colon]
            let visible = host == "0.0.0.0" || host == "[::]" || host.isEmpty ? "127.0.0.1" : String(host)
            return "http://\(visible):\(address[address.index(after: colon)...])/"
        }
    }

    public let plan: Plan
    private var coordinator: FarmChild?
    private var workers: [FarmChild] = []

    public init(plan: Plan) {
        self.plan = plan
    }

    public var logDirectory: String { URL(fileURLWithPath: plan.stateDirectory).appendingPathComponent("local").path }

    public func start() throws {
        try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
        var coordinatorArguments = ["--state-dir", plan.stateDirectory, "--logs-root", plan.logsRoot,
                                    "--worker-endpoint", plan.workerEndpoint, "--client-endpoint", plan.clientEndpoint]
        if let config = plan.configDirectory { coordinatorArguments += ["--config-dir", config] }
        if let address = plan.metricsAddress { coordinatorArguments += ["--metrics-address", address] }
        coordinator = try launch("farm-coordinator", name: "coordinator", arguments: coordinatorArguments)
        for (index, deviceArguments) in plan.workers.enumerated() {
            workers.append(try launch("farm-worker", name: "worker-\(index)",
                                      arguments: ["--coordinator", plan.workerEndpoint] + deviceArguments))
        }
        // A child that dies at once (bad flags, no device) is reported now, not as a silent hang.
        Thread.sleep(forTimeInterval: 0.5)
        for child in children where !child.isRunning {
            throw LaunchError.childExited(name: child.name, status: child.process.terminationStatus, log: child.log)
        }
    }

    /// Workers first, so they can finish and report their clips while the coordinator still listens.
    public func stop(grace: TimeInterval = 30) {
        FarmChild.terminate(workers, grace: grace)
        FarmChild.terminate([coordinator].compactMap { $0 }, grace: grace)
    }

    /// Names of children that have exited on their own.
    public var exitedChildren: [String] { children.filter { !$0.isRunning }.map(\.name) }

    private var children: [FarmChild] { [coordinator].compactMap { $0 } + workers }

    private func launch(_ binary: String, name: String, arguments: [String]) throws -> FarmChild {
        try FarmChild.launch(try FarmBinaries.path(of: binary, in: plan.binDirectory), name: name, arguments: arguments,
                             log: URL(fileURLWithPath: logDirectory).appendingPathComponent("\(name).log").path)
    }
}
