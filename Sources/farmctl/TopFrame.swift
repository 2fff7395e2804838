import FarmWire
import Foundation

/// One frame of `farmctl top`: the farm's workers and jobs as fixed-width text lines, no escape
/// codes (the command adds those). Pure, so a test can check a frame for given records.
struct TopFrame {
    var endpoint: String
    var workers: [WorkerRecord]
    var jobs: [JobRecord]
    var now: Double
    var width: Int = 120
    /// Beats older than this are marked stale (`!`).
    var staleAfter: Double = 2

    var lines: [String] {
        var lines: [String] = []
        let live = workers.filter { $0.state != .lost }
        let rendering = workers.filter { $0.state == .rendering }
        let fps = rendering.reduce(0) { $0 + $1.fps }
        let open = jobs.filter { !$0.state.isTerminal }
        lines.append("farmctl top — \(endpoint)   \(Self.clock(now))   q or Ctrl-C quits")
        lines.append("workers \(live.count) (rendering \(rendering.count), lost \(workers.count - live.count))   "
            + "total \(Self.decimal(fps)) fps   jobs open \(open.count) of \(jobs.count)")
        lines.append("")
        lines.append(Self.row(["WORKER", "HOST", "DEVICE", "STATE", "CLIP", "PROGRESS", "FPS", "BEAT"],
                              widths: Self.workerWidths))
        for worker in workers {
            let age = max(0, now - worker.lastBeat)
            let stale = age > staleAfter || worker.state == .lost
            let clip = worker.job.map { "\($0)/\(worker.clip.map(String.init) ?? "?")" } ?? "-"
            let progress = worker.framesTotal > 0
                ? Self.bar(worker.framesDone, worker.framesTotal, width: 12) + " \(worker.framesDone)/\(worker.framesTotal)" : ""
            lines.append(Self.row([worker.id, worker.host, worker.device.kind, worker.state.rawValue, clip, progress,
                                   Self.decimal(worker.fps), Self.decimal(age) + "s" + (stale ? " !" : "")],
                                  widths: Self.workerWidths))
        }
        if workers.isEmpty { lines.append("  (no workers)") }
        lines.append("")
        lines.append(Self.row(["JOB", "STATE", "RUN", "CLIPS", "FRAMES", "FAILED"], widths: Self.jobWidths))
        // Open jobs first, then the newest finished ones.
        let shown = open + jobs.filter(\.state.isTerminal).sorted { (Int($0.id) ?? 0) > (Int($1.id) ?? 0) }.prefix(8)
        for job in shown {
            lines.append(Self.row([job.id, job.state.rawValue, "\(job.task)/\(job.run)",
                                   Self.bar(job.clipsDone, job.clipsTotal, width: 16) + " \(job.clipsDone)/\(job.clipsTotal)",
                                   Self.bar(job.framesDone, job.framesTotal, width: 16) + " \(job.framesDone)/\(job.framesTotal)",
                                   String(job.clipsFailed)], widths: Self.jobWidths))
        }
        if jobs.isEmpty { lines.append("  (no jobs)") }
        return lines.map { Self.clipped($0, width) }
    }

    static let workerWidths = [26, 14, 9, 10, 8, 24, 7, 10]
    static let jobWidths = [5, 10, 36, 28, 32, 6]

    static func row(_ cells: [String], widths: [Int]) -> String {
        zip(cells, widths).map { cell, width in clipped(cell, width - 1).padding(toLength: width, withPad: " ", startingAt: 0) }
            .joined().trimmingTrailingSpaces()
    }

    /// `[#####.....]` filled in proportion to done/total.
    static func bar(_ done: Int, _ total: Int, width: Int) -> String {
        let filled = total > 0 ? min(width, Int((Double(done) / Double(total) * Double(width)).rounded(.down))) : 0
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
    }

    static func decimal(_ value: Double) -> String { String(format: "%.1f", value) }

    static func clock(_ time: Double) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: time))
    }

    static func clipped(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(max(0, width - 1))) + "…"
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
