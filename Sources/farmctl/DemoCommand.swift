import ArgumentParser
import FarmCore
import FarmLaunch
import Foundation

/// `farmctl demo`: the embedded default end to end. A local farm on free loopback ports renders the
/// built-in Cartpole run the way `train.py --task Isaac-Cartpole-v0 --video --video_length 100
/// --video_interval 500` would record it, then shuts down.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start a local farm, record the built-in Cartpole run, print the clips, shut down.")

    @OptionGroup var config: ConfigOptions
    @OptionGroup var local: LocalFarmOptions

    @Option(help: "Env steps of the built-in Cartpole run.")
    var steps = 1200

    @Option(name: .customLong("num_envs"), help: "Cartpole environments.")
    var numEnvs = 64

    @Option(name: .customLong("video_length"), help: "Frames per clip.")
    var videoLength = 100

    @Option(name: .customLong("video_interval"), help: "Steps between clip starts.")
    var videoInterval = 500

    @Option(name: .customLong("run"), help: "Run folder name (default: now, as %Y-%m-%d_%H-%M-%S).")
    var runName: String?

    @Flag(name: .customLong("keep-up"), help: "Keep the farm and its dashboard up after the job, until Ctrl-C, to watch the clips play.")
    var keepUp = false

    func validate() throws {
        for (flag, value) in [("--steps", steps), ("--num_envs", numEnvs), ("--video_length", videoLength),
                              ("--video_interval", videoInterval)] where value < 1 {
            throw ValidationError("\(flag) must be at least 1, not \(value)")
        }
    }

    func run() throws {
        try reportingFailures {
            let configuration = try config.load()
            let plan = try local.plan(configuration: configuration, configDirectory: config.configDirectory,
                                      workerEndpoint: try LoopbackPorts.freeEndpoint(),
                                      clientEndpoint: try LoopbackPorts.freeEndpoint())
            let farm = LocalFarm(plan: plan)
            defer { farm.stop() }
            do { try farm.start() } catch { throw CommandFailure(message: "farmctl demo: \(error)") }
            printError("farm up: \(plan.workers.count) worker(s), coordinator on \(plan.clientEndpoint); logs in \(farm.logDirectory)")
            if let url = plan.dashboardURL { printError("dashboard: \(url) (open it to watch the clips render and play)") }

            var arguments = ["--coordinator", plan.clientEndpoint, "--task", "Isaac-Cartpole-v0",
                             "--builtin", "cartpole", "--steps", String(steps), "--num_envs", String(numEnvs),
                             "--video_length", String(videoLength), "--video_interval", String(videoInterval),
                             "--timeout", "30", "--wait"]
            if let runName { arguments += ["--run", runName] }
            if let directory = config.configDirectory { arguments += ["--config-dir", directory] }
            let submit = try SubmitCommand.parse(arguments)
            try submit.run()
            if keepUp, let url = plan.dashboardURL {
                printError("the farm stays up: its clips play at \(url); Ctrl-C to stop")
                let stop = StopSignal()
                while !stop.wait(seconds: 1) && farm.exitedChildren.isEmpty {}
            }
        }
    }
}
