import ArgumentParser

/// `farm-bench`: the farm's benchmarks, one subcommand per stage. tools/bench runs them all and
/// prints one table: `farm-bench --table-header`, then each subcommand with `--rows-only`.
@main
struct FarmBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "farm-bench",
        abstract: "Measure the farm's render, encode and pipeline throughput and the coordinator's dispatch.",
        subcommands: [RenderBench.self, EncodeBench.self, PipelineBench.self, DispatchBench.self, NodeBench.self,
                      SweepBench.self])

    @Flag(help: "Print the shared table's header and exit.") var tableHeader = false

    func run() throws {
        guard tableHeader else { throw CleanExit.helpRequest(self) }
        print(BenchTable.header)
    }
}
