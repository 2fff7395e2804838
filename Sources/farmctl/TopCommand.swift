import ArgumentParser
import FarmWire
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `farmctl top`: a live terminal view of workers and jobs for login nodes without a browser. It
/// asks the coordinator over the client protocol (STATUS and WORKERS), as `status` and `workers` do.
struct TopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "A live view of the farm's workers and jobs, refreshed every second; q or Ctrl-C quits.")

    @OptionGroup var coordinator: CoordinatorOptions

    @Flag(help: "Print one frame and exit (no screen control; for scripts and tests).")
    var once = false

    @Option(help: "Seconds between refreshes.")
    var interval: Double = 1

    func validate() throws {
        guard interval >= 0.1 else { throw ValidationError("--interval must be at least 0.1 seconds") }
    }

    func run() throws {
        try reportingFailures {
            let client = try coordinator.connect()
            if once {
                for line in try frame(client).lines { print(line) }
                return
            }
            let screen = TerminalScreen()
            defer { screen.restore() }
            let stop = StopSignal()
            repeat {
                screen.draw(try frame(client, width: screen.columns).lines)
            } while !screen.waitForQuit(seconds: interval, stop: stop)
        }
    }

    private func frame(_ client: CoordinatorClient, width: Int = 120) throws -> TopFrame {
        let jobs = try client.request(.status(StatusQuery())).jobs ?? []
        let workers = try client.request(.workers(WorkersQuery())).workers ?? []
        return TopFrame(endpoint: client.endpoint, workers: workers, jobs: jobs, now: Date().timeIntervalSince1970,
                        width: width)
    }
}

/// The terminal while `top` runs: alternate screen, hidden cursor, keys read one at a time without
/// echo. `restore()` puts every setting back (also after an error: the command defers it).
final class TerminalScreen {
    private var saved = termios()
    private let isTerminal: Bool
    private var restored = false

    init() {
        isTerminal = isatty(STDIN_FILENO) == 1
        if isTerminal {
            tcgetattr(STDIN_FILENO, &saved)
            var raw = saved
            // No line buffering, no echo, and Ctrl-C arrives as a byte (3) so quitting restores first.
            raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG)
            tcsetattr(STDIN_FILENO, TCSANOW, &raw)
        }
        write("\u{1B}[?1049h\u{1B}[?25l")
    }

    var columns: Int {
        var size = winsize()
        return ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 120
    }

    func draw(_ lines: [String]) {
        write("\u{1B}[H\u{1B}[2J" + lines.joined(separator: "\r\n") + "\r\n")
    }

    /// Waits up to `seconds` for q, Q, Ctrl-C or a stop signal; true when one came.
    func waitForQuit(seconds: Double, stop: StopSignal) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            guard isTerminal else {
                // No keyboard to read (stdin redirected): only signals stop it.
                if stop.wait(seconds: max(0, deadline.timeIntervalSinceNow)) { return true }
                continue
            }
            if stop.wait(seconds: 0) { return true }
            var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let wait = Int32(max(0, min(200, deadline.timeIntervalSinceNow * 1000)))
            guard poll(&descriptor, 1, wait) > 0 else { continue }
            var byte: UInt8 = 0
            guard read(STDIN_FILENO, &byte, 1) == 1 else { return true }
            if byte == UInt8(ascii: "q") || byte == UInt8(ascii: "Q") || byte == 3 { return true }
        }
        return false
    }

    func restore() {
        guard !restored else { return }
        restored = true
        write("\u{1B}[?25h\u{1B}[?1049l")
        if isTerminal { tcsetattr(STDIN_FILENO, TCSANOW, &saved) }
    }

    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
