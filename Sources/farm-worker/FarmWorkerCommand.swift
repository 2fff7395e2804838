import ArgumentParser

/// `farm-worker`: one process per GPU; renders and encodes clips for the coordinator.
@main
struct FarmWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "farm-worker",
        abstract: "Render farm worker: one process per GPU.",
        subcommands: [DevicesCommand.self])
}
