import ArgumentParser
import FarmWire
import Foundation

/// `farmctl workers [--json]`.
struct WorkersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workers",
        abstract: "List the farm's workers: device, GL renderer, state, clip in hand, fps, last heartbeat.")

    @OptionGroup var coordinator: CoordinatorOptions

    @Flag(help: "Print a JSON list with id, host, pid, device, renderer, state, job, clip, frames, fps, rss and last_beat.")
    var json = false

    func run() throws {
        try reportingFailures {
            let workers = try coordinator.connect().request(.workers(WorkersQuery())).workers ?? []
            if json {
                WireOutput.print(workers.map(Row.init))
                return
            }
            if workers.isEmpty { print("no workers") }
            let now = Date().timeIntervalSince1970
            for worker in workers {
                let clip = worker.job.map { job in "job \(job) clip \(worker.clip.map(String.init) ?? "?") \(worker.framesDone)/\(worker.framesTotal)" } ?? "-"
                print("\(worker.id)\t\(worker.host)\tpid \(worker.pid)\t\(worker.device.summary)\t\(worker.renderer)\t"
                    + "\(worker.state)\t\(clip)\t\(String(format: "%.1f", worker.fps)) fps\t"
                    + "beat \(String(format: "%.1f", max(0, now - worker.lastBeat))) s ago")
            }
        }
    }

    /// A worker with every key present (null where there is nothing), so scripts can index freely.
    struct Row: Encodable {
        let worker: WorkerRecord

        init(_ worker: WorkerRecord) { self.worker = worker }

        enum CodingKeys: String, CodingKey {
            case id, host, pid, device, renderer, state, job, clip, framesDone, framesTotal, fps, rssBytes, lastBeat
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(worker.id, forKey: .id)
            try c.encode(worker.host, forKey: .host)
            try c.encode(worker.pid, forKey: .pid)
            try c.encode(worker.device, forKey: .device)
            try c.encode(worker.renderer, forKey: .renderer)
            try c.encode(worker.state, forKey: .state)
            try c.encode(worker.job, forKey: .job)
            try c.encode(worker.clip, forKey: .clip)
            try c.encode(worker.framesDone, forKey: .framesDone)
            try c.encode(worker.framesTotal, forKey: .framesTotal)
            try c.encode(worker.fps, forKey: .fps)
            try c.encode(worker.rssBytes, forKey: .rssBytes)
            try c.encode(worker.lastBeat, forKey: .lastBeat)
        }
    }
}
