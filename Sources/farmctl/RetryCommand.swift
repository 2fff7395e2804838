import ArgumentParser
import FarmWire

/// `farmctl retry JOB`: a failed job's failed clips are rendered again; clips the coordinator is
/// holding for the job (filing paused) are filed at once if the logs root takes them.
struct RetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Render a failed job's failed clips again, and file any clips held while filing was paused.",
        discussion: "Only failed clips are requeued; done clips stay. The job's retries and blocklist start afresh.")

    @OptionGroup var arguments: JobActionArguments

    func run() throws {
        try reportingFailures {
            let record = try arguments.send { .retryJob(RetryJob(jobId: $0)) }
            if !arguments.json { JobWatch.describe(record).forEach { print($0) } }
        }
    }
}
