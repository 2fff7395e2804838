import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One farm process started by a launcher, its stdout and stderr going to its own log file.
public struct FarmChild: @unchecked Sendable {
    // `Process` is a reference type Foundation does not mark Sendable; a child is only started,
    // signalled and waited on, which Process allows from any thread.
    public let name: String
    public let process: Process
    public let log: String

    /// Starts `binary` (a path) with `arguments`, under `wrapper` when given (e.g. `prlimit … --`),
    /// with stdin from /dev/null and both output streams into `log`, created afresh.
    public static func launch(_ binary: String, name: String, arguments: [String], log: String,
                              wrapper: [String] = []) throws -> FarmChild {
        guard FileManager.default.createFile(atPath: log, contents: nil) else { throw LaunchError.unwritableLog(log) }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        let process = Process()
        if let first = wrapper.first {
            process.executableURL = URL(fileURLWithPath: first)
            process.arguments = wrapper.dropFirst() + [binary] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
        }
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return FarmChild(name: name, process: process, log: log)
    }

    public var isRunning: Bool { process.isRunning }

    /// SIGKILL and reap.
    public func kill() {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// SIGTERM to every child still running, then waits up to `grace` for them all, and SIGKILLs
    /// the ones left (each is reaped before this returns).
    public static func terminate(_ children: [FarmChild], grace: TimeInterval) {
        for child in children where child.process.isRunning { child.process.terminate() }
        let deadline = Date().addingTimeInterval(grace)
        for child in children {
            while child.process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            child.kill()
        }
    }
}
