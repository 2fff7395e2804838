import ArgumentParser
import FarmWire

/// `farmctl cancel JOB`: workers abandon the job's clips; nothing more is written.
struct CancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a job: workers abandon its clips and no more clips are written.")

    @OptionGroup var coordinator: CoordinatorOptions

    @Argument(help: "Job id.")
    var job: String

    @Flag(help: "Print the job record as JSON.")
    var json = false

    func run() throws {
        try reportingFailures {
            let client = try coordinator.connect()
            let record = try client.jobRecord(.cancelJob(CancelJob(jobId: job)), job: job)
            if json {
                WireOutput.print(record)
            } else if record.state == .cancelled {
                print("job \(record.id) cancelled (\(record.clipsDone) of \(record.clipsTotal) clips had been written)")
            } else {
                print("job \(record.id) had already finished: \(record.state.rawValue)")
            }
        }
    }
}
