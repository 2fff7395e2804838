import ArgumentParser
import FarmWire
import Foundation

/// `farmctl status [JOB] [--wait] [--json]`.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show jobs, or one job with its clips (state, attempts, errors, paths).",
        discussion: "With --wait and a JOB: exit 0 when it completes, 1 if it fails or is cancelled.")

    @OptionGroup var coordinator: CoordinatorOptions

    @Argument(help: "Job id (from farmctl submit); all jobs when left out.")
    var job: String?

    @Flag(help: "Wait until the job (or, without JOB, every job) has finished.")
    var wait = false

    @Flag(help: "Print the job record (or the list of jobs) as JSON.")
    var json = false

    @Option(help: "Without JOB: show at most this many jobs, the newest (1...\(StatusQuery.maxLimit)).")
    var limit = StatusQuery.defaultLimit

    @Option(help: "Without JOB: show jobs older than this job id (the next page back).")
    var before: String?

    func run() throws {
        try reportingFailures {
            let client = try coordinator.connect()
            if let job {
                let record = try client.completeRecord(of: job, from: wait ? try JobWatch.wait(for: job, client: client) : nil)
                if json { WireOutput.print(record) } else { JobWatch.describe(record).forEach { print($0) } }
                if wait {
                    let code = JobWatch.exitCode(record)
                    if code != .success { throw code }
                }
                return
            }
            let query = StatusQuery(limit: limit, beforeJob: before)
            var page = try client.request(.status(query))
            while wait, (page.jobs ?? []).contains(where: { !$0.state.isTerminal }) {
                Thread.sleep(forTimeInterval: 0.5)
                page = try client.patientRequest(.status(query))
            }
            let jobs = page.jobs ?? []
            if let older = page.olderThan, !json { printError("older jobs: farmctl status --before \(older)") }
            if json {
                WireOutput.print(jobs)
            } else if jobs.isEmpty {
                print("no jobs")
            } else {
                for job in jobs {
                    print("\(job.id)\t\(job.state.rawValue)\t\(job.clipsDone)/\(job.clipsTotal) clips\t"
                        + "\(job.framesDone)/\(job.framesTotal) frames\t\(job.workflow)/\(job.task)/\(job.run)")
                    if let paused = job.filingPaused { print("  \(paused)") }
                    for action in job.actions ?? [] { print("  to do: \(action)") }
                }
            }
            if wait, jobs.contains(where: { $0.state != .completed }) { throw ExitCode.failure }
        }
    }
}
