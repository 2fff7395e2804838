import ArgumentParser

/// `farmctl`: plans, submits and watches clip-recording jobs. Each subcommand lives in its own
/// file; add new ones to `subcommands` below.
@main
struct Farmctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "farmctl",
        abstract: "Control the render farm that records Isaac Lab training videos.",
        subcommands: [
            ResolveCommand.self,
            PlanCommand.self,
            RolloutCommand.self,
            InspectCommand.self,
            SubmitCommand.self,
            StatusCommand.self,
            WorkersCommand.self,
            CancelCommand.self,
            RetryCommand.self,
            FetchCommand.self,
            LogsCommand.self,
            UpCommand.self,
            DemoCommand.self,
            KeysCommand.self,
        ])
}
