import FarmCore
import FarmWire
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A coordinator and its workers as child processes of `farmctl up` / `farmctl demo`. Each child's
/// output goes to `<state-dir>/local/<name>.log`; stopping sends SIGTERM to the workers first (they
/// finish their clip and leave), then to the coordinator, and SIGKILL to anything still there after
/// a grace period.
final class LocalFarm {
    struct Plan {
        var binDirectory: String
        var stateDirectory: String
        var logsRoot: String
        var workerEndpoint: String
        var clientEndpoint: String
        /// One argument list per worker (device flags).
        var workers: [[String]]
        var configDirectory: String?
        /// `HOST:PORT` of the coordinator's /metrics and dashboard.
        var metricsAddress: String?

        /// The dashboard's URL as a browser on this machine opens it.
        var dashboardURL: String? {
            guard let address = metricsAddress, let colon = address.lastIndex(of: ":") else { return nil }
            let host = address[..<colon]
            let visible = host == "0.0.0.0" || host == "[::]" || host.isEmpty ? "127.0.0.1" : String(host)
            return "http://\(visible):\(address[address.index(after: colon)...])/"
        }
    }

    enum LaunchError: Error, CustomStringConvertible {
        case missingBinary(String)
        case childExited(name: String, status: Int32, log: String)
        case unwritableLog(String)

        var description: String {
            switch self {
            case .missingBinary(let path):
                return "cannot find \(path); build the farm (swift build) or point FARM_BIN at the folder of its binaries"
            case .childExited(let name, let status, let log):
                return "\(name) exited with status \(status) at start; see \(log)"
            case .unwritableLog(let path):
                return "cannot create the log file \(path); check that the state directory is writable"
            }
        }
    }

    private struct Child {
        let name: String
        let process: Process
        let log: String
    }

    let plan: Plan
    private var coordinator: Child?
    private var workers: [Child] = []

    init(plan: Plan) {
        self.plan = plan
    }

    /// The folder of the farm's binaries: `FARM_BIN`, else the one this farmctl runs from.
    static func binDirectory() -> String {
        if let bin = ProcessInfo.processInfo.environment["FARM_BIN"], !bin.isEmpty { return bin }
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: me).deletingLastPathComponent().path
    }

    /// `127.0.0.1:PORT` with a port nobody listens on right now, for the coordinator's dashboard.
    static func freeLoopbackAddress() throws -> String {
        String(try freeLoopbackEndpoint().dropFirst("tcp://".count))
    }

    /// A loopback TCP endpoint with a port nobody listens on right now.
    static func freeLoopbackEndpoint() throws -> String {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context: context, kind: .router)
        defer { socket.close() }
        return try socket.bind("tcp://127.0.0.1:*")
    }

    var logDirectory: String { URL(fileURLWithPath: plan.stateDirectory).appendingPathComponent("local").path }

    func start() throws {
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
        for child in [coordinator].compactMap({ $0 }) + workers where !child.process.isRunning {
            throw LaunchError.childExited(name: child.name, status: child.process.terminationStatus, log: child.log)
        }
    }

    /// Workers first, so they can finish and report their clips while the coordinator still listens.
    func stop(grace: TimeInterval = 30) {
        terminate(workers, grace: grace)
        terminate([coordinator].compactMap { $0 }, grace: grace)
    }

    /// Names of children that have exited on their own.
    var exitedChildren: [String] {
        ([coordinator].compactMap { $0 } + workers).filter { !$0.process.isRunning }.map(\.name)
    }

    private func launch(_ binary: String, name: String, arguments: [String]) throws -> Child {
        let path = URL(fileURLWithPath: plan.binDirectory).appendingPathComponent(binary).path
        guard FileManager.default.isExecutableFile(atPath: path) else { throw LaunchError.missingBinary(path) }
        let log = URL(fileURLWithPath: logDirectory).appendingPathComponent("\(name).log").path
        guard FileManager.default.createFile(atPath: log, contents: nil) else { throw LaunchError.unwritableLog(log) }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Child(name: name, process: process, log: log)
    }

    private func terminate(_ children: [Child], grace: TimeInterval) {
        for child in children where child.process.isRunning { child.process.terminate() }
        let deadline = Date().addingTimeInterval(grace)
        for child in children {
            while child.process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if child.process.isRunning {
                kill(child.process.processIdentifier, SIGKILL)
                child.process.waitUntilExit()
            }
        }
    }
}
