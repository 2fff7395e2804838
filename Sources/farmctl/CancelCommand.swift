import ArgumentParser
import FarmWire

/// `farmctl cancel JOB`: workers abandon the job's clips; nothing more is written.
struct CancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a job: workers abandon its clips and no more clips are written.")

    @OptionGroup var arguments: JobActionArguments

    func run() throws {
        try reportingFailures {
            let record = try arguments.send { .cancelJob(CancelJob(jobId: $0)) }
            guard !arguments.json else { return }
            if record.state == .cancelled {
                print("job \(record.id) cancelled (\(record.clipsDone) of \(record.clipsTotal) clips had been written)")
            } else {
                print("job \(record.id) had already finished: \(record.state.rawValue)")
            }
        }
    }
}
