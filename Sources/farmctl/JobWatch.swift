import ArgumentParser
import FarmWire
import Foundation

/// Following a job to its end, and describing jobs for people.
enum JobWatch {
    /// Polls until the job is completed, failed or cancelled, with a live progress line on stderr
    /// (clips done/total, frames, fps); returns the final record. A coordinator that stops answering
    /// (restarting) is waited for.
    static func wait(for id: String, client: CoordinatorClient, interval: Double = 0.5) throws -> JobRecord {
        var line = ProgressLine()
        var last: (frames: Int, time: Date)?
        var fps = 0.0
        while true {
            guard let job = try client.patientRequest(.status(StatusQuery(jobId: id))).job else {
                throw CommandFailure(message: "the coordinator sent no job record for job \(id)")
            }
            let now = Date()
            if let last, now.timeIntervalSince(last.time) > 0 {
                let instant = Double(job.framesDone - last.frames) / now.timeIntervalSince(last.time)
                fps = fps == 0 ? instant : 0.7 * fps + 0.3 * instant
            }
            last = (job.framesDone, now)
            line.show(progress(job, fps: fps))
            if job.state.isTerminal {
                line.finish()
                return job
            }
            Thread.sleep(forTimeInterval: interval)
        }
    }

    static func progress(_ job: JobRecord, fps: Double) -> String {
        var text = "job \(job.id) \(job.state.rawValue): clips \(job.clipsDone)/\(job.clipsTotal) done"
        if job.clipsFailed > 0 { text += ", \(job.clipsFailed) failed" }
        text += ", frames \(job.framesDone)/\(job.framesTotal), \(String(format: "%.1f", max(0, fps))) fps"
        return text
    }

    /// 0 for a completed job; 1, with the reason on stderr, for a failed or cancelled one.
    static func exitCode(_ job: JobRecord) -> ExitCode {
        switch job.state {
        case .completed: return .success
        case .failed:
            printError("job \(job.id) failed: \(job.error ?? "see farmctl status \(job.id)")")
            return .failure
        case .cancelled:
            printError("job \(job.id) was cancelled")
            return .failure
        case .queued, .running:
            return .success
        }
    }

    /// A job and its clips as lines of text.
    static func describe(_ job: JobRecord) -> [String] {
        var lines = ["job \(job.id): \(job.state.rawValue)  \(job.workflow)/\(job.task)/\(job.run)  \(SubmitCommand.describe(job))",
                     "  clips \(job.clipsDone)/\(job.clipsTotal) done, \(job.clipsFailed) failed; frames \(job.framesDone)/\(job.framesTotal)",
                     "  videos: \(job.videoDir)"]
        lines += job.warnings.map { "  warning: \($0)" }
        if let paused = job.filingPaused { lines.append("  \(paused)") }
        lines += (job.actions ?? []).map { "  to do: \($0)" }
        for clip in job.clips ?? [] {
            var text = "  [\(clip.id)] \(clip.file)  \(clip.state.rawValue)  attempts \(clip.attempts)"
            if let worker = clip.worker { text += "  on \(worker)" }
            if let path = clip.path { text += "  \(path)" }
            if let error = clip.error { text += "  error: \(error)" }
            if let removed = clip.removed { text += "  (\(removed))" }
            lines.append(text)
        }
        return lines
    }
}

/// One status line on stderr, redrawn in place on a terminal and printed on change otherwise.
struct ProgressLine {
    private let terminal = isatty(STDERR_FILENO) == 1
    private var previous = ""
    private var printed = ""
    private var lastPrinted = Date.distantPast

    mutating func show(_ text: String) {
        if terminal {
            let padding = String(repeating: " ", count: max(0, previous.count - text.count))
            FileHandle.standardError.write(Data("\r\(text)\(padding)".utf8))
        } else if text != printed, Date().timeIntervalSince(lastPrinted) >= 1 {
            printError(text)
            printed = text
            lastPrinted = Date()
        }
        previous = text
    }

    /// Ends the line, making sure the final state was shown.
    mutating func finish() {
        if terminal {
            FileHandle.standardError.write(Data("\n".utf8))
        } else if previous != printed {
            printError(previous)
        }
    }
}
