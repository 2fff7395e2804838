import Foundation
import Testing
@testable import FarmCore

@Suite("Run layout and path safety")
struct RunLayoutTests {
    @Test("Clips land in <logs-root>/<workflow>/<task>/<run>/videos/train")
    func layout() throws {
        let layout = try RunLayout(logsRoot: "logs", workflow: "rl_games", task: "Isaac-Cartpole-v0", run: "2026-11-25_01-02-03")
        #expect(layout.videoDirectory == "logs/rl_games/Isaac-Cartpole-v0/2026-11-25_01-02-03/videos/train")
        #expect(layout.relativeVideoDirectory == "rl_games/Isaac-Cartpole-v0/2026-11-25_01-02-03/videos/train")
        #expect(try layout.clipPath(file: "rl-video-step-0.mp4")
            == "logs/rl_games/Isaac-Cartpole-v0/2026-11-25_01-02-03/videos/train/rl-video-step-0.mp4")
        let absolute = try RunLayout(logsRoot: "/srv/logs/", workflow: "skrl", task: "T", run: "r")
        #expect(absolute.videoDirectory == "/srv/logs/skrl/T/r/videos/train")
    }

    static let refusals: [(String, PathField, LayoutError)] = [
        ("", .workflow, .empty(.workflow)),
        ("", .task, .empty(.task)),
        ("", .run, .empty(.run)),
        (".", .task, .dotComponent(.task, value: ".")),
        ("..", .run, .dotComponent(.run, value: "..")),
        ("../etc", .task, .containsSlash(.task, value: "../etc")),
        ("a/b", .workflow, .containsSlash(.workflow, value: "a/b")),
        ("/abs", .run, .containsSlash(.run, value: "/abs")),
        ("trailing/", .run, .containsSlash(.run, value: "trailing/")),
        ("nul\u{0}byte", .task, .containsNUL(.task, value: "nul\u{0}byte")),
        ("new\nline", .run, .containsControlCharacter(.run, value: "new\nline", scalar: 0x0A)),
        ("tab\t", .task, .containsControlCharacter(.task, value: "tab\t", scalar: 0x09)),
        ("esc\u{1B}[31m", .run, .containsControlCharacter(.run, value: "esc\u{1B}[31m", scalar: 0x1B)),
        ("del\u{7F}", .workflow, .containsControlCharacter(.workflow, value: "del\u{7F}", scalar: 0x7F)),
        ("c1\u{85}", .run, .containsControlCharacter(.run, value: "c1\u{85}", scalar: 0x85)),
    ]

    @Test("Unsafe names are refused", arguments: refusals)
    func refused(_ value: String, _ field: PathField, _ expected: LayoutError) {
        #expect(throws: expected) { try PathComponent(value, field: field) }
    }

    @Test("Messages name the field and the reason")
    func messages() {
        #expect(LayoutError.empty(.workflow).description == "workflow name is empty")
        #expect(LayoutError.dotComponent(.run, value: "..").description == "run name '..' is '.' or '..' and would leave its folder")
        #expect(LayoutError.containsSlash(.task, value: "../x").description
            == "task name '../x' contains '/' and would not be a single folder")
        #expect(LayoutError.containsNUL(.task, value: "a\u{0}b").description.hasPrefix("task name 'a\\u{0000}b' contains a NUL"))
        #expect(LayoutError.containsControlCharacter(.run, value: "a\nb", scalar: 10).description
            == "run name 'a\\u{000A}b' contains the control character U+000A")
    }

    @Test("Each field of a layout is checked", arguments: PathField.allCases.filter { $0 != .file })
    func layoutChecksEachField(_ field: PathField) {
        let names = PathField.allCases.map { $0 == field ? ".." : "ok" }
        #expect(throws: LayoutError.dotComponent(field, value: "..")) {
            try RunLayout(logsRoot: "logs", workflow: names[0], task: names[1], run: names[2])
        }
    }

    @Test("Clip file names and the logs root are checked")
    func clipAndRoot() throws {
        let layout = try RunLayout(logsRoot: "logs", workflow: "rl_games", task: "t", run: "r")
        #expect(throws: LayoutError.containsSlash(.file, value: "../x.mp4")) { try layout.clipPath(file: "../x.mp4") }
        #expect(throws: LayoutError.emptyLogsRoot) { try RunLayout(logsRoot: "", workflow: "a", task: "b", run: "c") }
    }

    @Test("Ordinary names pass", arguments: ["rl_games", "Isaac-Cartpole-v0", "2026-11-25_01-02-03_my run", "...", ".hidden", "a..b", "café", "名前"])
    func accepted(_ name: String) throws {
        #expect(try PathComponent(name, field: .task).value == name)
    }

    @Test("Known workflows; others are allowed")
    func workflows() throws {
        #expect(Workflow.known == ["rl_games", "rsl_rl", "skrl", "sb3"])
        #expect(Workflow.isKnown("rsl_rl"))
        #expect(!Workflow.isKnown("my_trainer"))
        #expect(try RunLayout(logsRoot: "logs", workflow: "my_trainer", task: "t", run: "r").workflow.value == "my_trainer")
    }

    @Test("Default run names are %Y-%m-%d_%H-%M-%S in the given zone, with an optional suffix")
    func runNames() throws {
        let date = Date(timeIntervalSince1970: 1_764_032_645) // 2025-11-25 01:04:05 UTC
        let utc = TimeZone(identifier: "UTC")!
        #expect(try RunName.make(at: date, timeZone: utc).value == "2025-11-25_01-04-05")
        #expect(try RunName.make(at: date, timeZone: utc, suffix: "ppo").value == "2025-11-25_01-04-05_ppo")
        #expect(try RunName.make(at: date, timeZone: utc, suffix: "").value == "2025-11-25_01-04-05")
        let tokyo = TimeZone(identifier: "Asia/Tokyo")!
        #expect(try RunName.make(at: date, timeZone: tokyo).value == "2025-11-25_10-04-05")
        let early = Date(timeIntervalSince1970: 0)
        #expect(try RunName.make(at: early, timeZone: utc).value == "1970-01-01_00-00-00")
        #expect(throws: LayoutError.containsSlash(.run, value: "2025-11-25_01-04-05_a/b")) {
            try RunName.make(at: date, timeZone: utc, suffix: "a/b")
        }
    }
}
