import ArgumentParser

/// `farm-worker`: one process per GPU; renders and encodes clips for the coordinator.
/// Each subcommand lives in its own file; `serve` (the daemon) is the default.
@main
struct FarmWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "farm-worker",
        abstract: "Render farm worker: one process per GPU.",
        subcommands: [ServeCommand.self, DevicesCommand.self, RenderCommand.self],
        defaultSubcommand: ServeCommand.self)
}
