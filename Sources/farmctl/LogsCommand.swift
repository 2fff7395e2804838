import ArgumentParser
import FarmWire
import Foundation

/// `farmctl logs [--follow] [--worker W]`: the heartbeat log the coordinator writes to
/// `<state-dir>/heartbeats.jsonl`, read from the state directory (shared storage on a cluster), so
/// it works while the coordinator is down too. Rotated files (`.N` … `.1`) are read first.
struct LogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Show workers' heartbeats from <state-dir>/heartbeats.jsonl.")

    @OptionGroup var config: ConfigOptions

    @Option(name: .customLong("state-dir"),
            help: "The coordinator's state directory (default: $FARM_STATE_DIR, else farm.yaml's state_dir).")
    var stateDirectory: String?

    @Option(help: "Only this worker's heartbeats.")
    var worker: String?

    @Option(help: "Only the last N matching lines before following.")
    var lines: Int?

    @Flag(help: "Keep printing heartbeats as they are written (across rotations) until interrupted.")
    var follow = false

    @Flag(help: "Print the raw JSON lines.")
    var json = false

    func validate() throws {
        if let lines, lines < 0 { throw ValidationError("--lines must be 0 or more, not \(lines)") }
    }

    func run() throws {
        try reportingFailures {
            let directory = try stateDirectory ?? ProcessInfo.processInfo.environment["FARM_STATE_DIR"].flatMap { $0.isEmpty ? nil : $0 }
                ?? config.load().farm.stateDirectory
            let path = (directory as NSString).appendingPathComponent("heartbeats.jsonl")
            let files = Self.rotated(path) + [path]
            guard files.contains(where: FileManager.default.fileExists(atPath:)) || follow else {
                throw CommandFailure(message: "no heartbeat log at \(path) (is the state directory right? --state-dir or FARM_STATE_DIR)")
            }
            var matching: [String] = []
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                matching += String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init).filter(accepts)
            }
            if let lines { matching = Array(matching.suffix(lines)) }
            matching.forEach(show)
            if follow { try tail(path) }
        }
    }

    /// `heartbeats.jsonl.N` … `.1`, oldest first, those that exist.
    static func rotated(_ path: String) -> [String] {
        var found: [String] = []
        var index = 1
        while FileManager.default.fileExists(atPath: "\(path).\(index)") {
            found.insert("\(path).\(index)", at: 0)
            index += 1
        }
        return found
    }

    private func accepts(_ line: String) -> Bool {
        guard let worker else { return !line.isEmpty }
        guard let record = try? HeartbeatRecord.parse(line: line) else { return false }
        return record.worker == worker
    }

    private func show(_ line: String) {
        guard !json, let record = try? HeartbeatRecord.parse(line: line) else {
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
            return
        }
        let time = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: record.timestamp))
        var text = "\(time) \(record.worker) \(record.host) pid \(record.pid) [\(record.device)] \(record.state.rawValue)"
        if let job = record.job { text += " job \(job) clip \(record.clip.map(String.init) ?? "?")" }
        if record.framesTotal > 0 { text += " frames \(record.framesDone)/\(record.framesTotal)" }
        text += " \(String(format: "%.1f", record.fps)) fps rss \(record.rssBytes >> 20) MiB"
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Follows the file by polling its size; a file that shrinks or is replaced was rotated.
    private func tail(_ path: String) throws -> Never {
        var offset = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        var identity = Self.inode(path)
        var partial = ""
        while true {
            Thread.sleep(forTimeInterval: 0.25)
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            let current = Self.inode(path)
            if current != identity || size < offset {
                identity = current
                offset = 0
                partial = ""
            }
            guard size > offset, let handle = FileHandle(forReadingAtPath: path) else { continue }
            try handle.seek(toOffset: UInt64(offset))
            let data = try handle.readToEnd() ?? Data()
            try handle.close()
            offset += data.count
            var text = partial + String(decoding: data, as: UTF8.self)
            if let lastNewline = text.lastIndex(of: "\n") {
                partial = String(text[text.index(after: lastNewline)...])
                text = String(text[..<lastNewline])
                text.split(separator: "\n").map(String.init).filter(accepts).forEach(show)
            } else {
                partial = text
            }
        }
    }

    private static func inode(_ path: String) -> UInt64? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? UInt64) ?? nil
    }
}
