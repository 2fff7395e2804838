import ArgumentParser

/// `farm-bench`: the farm's benchmarks, one subcommand per stage (tools/bench runs them all and
/// prints one table).
@main
struct FarmBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "farm-bench",
        abstract: "Measure the farm's render, encode and pipeline throughput.",
        subcommands: [RenderBench.self, EncodeBench.self])
}
