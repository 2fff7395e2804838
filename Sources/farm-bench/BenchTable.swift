/// The one table every benchmark stage prints into (tools/bench prints the header once, then each
/// subcommand's rows). A stage leaves columns it does not measure as "—".
enum BenchTable {
    static let header = """
        | stage | case | frames | fps | fps per CPU-s | ratio (wall, CPU) | size MB | PSNR dB | SSIM |
        |---|---|---:|---:|---:|---|---:|---:|---:|
        """

    static func row(_ cells: [String]) -> String {
        "| " + cells.joined(separator: " | ") + " |"
    }
}
