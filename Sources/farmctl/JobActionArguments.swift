import ArgumentParser
import FarmWire

/// What `farmctl cancel` and `farmctl retry` share: the coordinator, the job and `--json`; `send`
/// makes the request for the job and prints its record as JSON when asked, returning it.
struct JobActionArguments: ParsableArguments {
    @OptionGroup var coordinator: CoordinatorOptions

    @Argument(help: "Job id.")
    var job: String

    @Flag(help: "Print the job record as JSON.")
    var json = false

    func send(_ request: (String) -> ClientRequest) throws -> JobRecord {
        let record = try coordinator.connect().jobRecord(request(job), job: job)
        if json { WireOutput.print(record) }
        return record
    }
}
