import ArgumentParser

/// `farm-bench`: throughput measurements of the farm's stages at clip sizes.
@main
struct FarmBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "farm-bench",
        abstract: "Measure the farm's stages (render, encode, pipeline).",
        subcommands: [RenderBench.self])
}
