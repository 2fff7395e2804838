import ArgumentParser
import FarmCore
import FarmSim

/// `farmctl rollout --builtin cartpole ...`: writes a rollout file from a built-in simulation.
struct RolloutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollout",
        abstract: "Write a rollout file from a built-in simulation (no trainer needed).")

    enum Builtin: String, ExpressibleByArgument, CaseIterable {
        case cartpole
    }

    @Option(help: "Built-in simulation to run (\(Builtin.allCases.map(\.rawValue).joined(separator: ", "))).")
    var builtin: Builtin

    @Option(help: "Env steps to simulate.")
    var steps: Int

    @Option(name: .customLong("num_envs"), help: "Parallel environments.")
    var numEnvs: Int

    @Option(help: "Random seed for resets and actions.")
    var seed: UInt64 = 42

    @Option(help: "Rollout file to write.")
    var out: String

    func validate() throws {
        do {
            _ = try CartpoleRollout(.init(steps: steps, numEnvs: numEnvs, seed: seed))
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let cartpole = try CartpoleRollout(.init(steps: steps, numEnvs: numEnvs, seed: seed))
        try cartpole.write(to: out)
        let header = cartpole.header
        print("wrote \(out): \(header.steps) steps × \(header.numEnvs) envs (\(header.numBodies) bodies), "
            + "\(try FrameRate(stepDT: header.stepDT)) fps")
    }
}
