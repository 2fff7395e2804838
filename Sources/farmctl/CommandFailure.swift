import ArgumentParser
import Foundation

/// A failure whose message goes to stderr exactly as given (no "Error:" prefix), then exit 1:
/// scripts match on the farm's messages, some of which are Isaac Lab's verbatim.
struct CommandFailure: Error {
    let message: String
}

extension CommandFailure {
    static func exit(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        return ExitCode.failure
    }
}

/// Runs `body`, turning a `CommandFailure` into its message on stderr and exit status 1.
func reportingFailures(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let failure as CommandFailure {
        throw CommandFailure.exit(failure.message)
    }
}
