import FarmCore
import Foundation
import Testing
@testable import FarmCoordinator

struct FilingTests {
    @Test func clipLandsWhereIsaacLabPutsIt() throws {
        let dir = try TemporaryDirectory()
        let filer = ClipFiler(logsRoot: dir.appending("logs"))
        let path = try filer.file(Data("mp4".utf8), workflow: "rl_games", task: "Isaac-Cartpole-v0",
                                  run: "2026-01-02_03-04-05", file: "rl-video-step-0.mp4")
        #expect(path == dir.appending("logs/rl_games/Isaac-Cartpole-v0/2026-01-02_03-04-05/videos/train/rl-video-step-0.mp4"))
        #expect(FileManager.default.contents(atPath: path) == Data("mp4".utf8))
        let folder = (path as NSString).deletingLastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["rl-video-step-0.mp4"],
                "no temporary file is left behind")
    }

    @Test func refilingReplacesTheWholeFile() throws {
        let dir = try TemporaryDirectory()
        let filer = ClipFiler(logsRoot: dir.path)
        try filer.file(Data(repeating: 1, count: 1000), workflow: "w", task: "t", run: "r", file: "c.mp4")
        let path = try filer.file(Data(repeating: 2, count: 10), workflow: "w", task: "t", run: "r", file: "c.mp4")
        #expect(FileManager.default.contents(atPath: path) == Data(repeating: 2, count: 10))
    }

    static let escapes: [(workflow: String, task: String, run: String, file: String)] = [
        ("..", "t", "r", "c.mp4"), ("w", "../../etc", "r", "c.mp4"), ("w", "t", "a/b", "c.mp4"),
        ("w", "t", "", "c.mp4"), ("w", "t", "r\u{0}x", "c.mp4"), ("w", "t", ".", "c.mp4"), ("w", "t", "r", "../c.mp4"),
    ]

    @Test(arguments: escapes)
    func namesEscapingTheLogsRootAreRefused(names: (workflow: String, task: String, run: String, file: String)) throws {
        let dir = try TemporaryDirectory()
        let filer = ClipFiler(logsRoot: dir.appending("logs"))
        #expect(throws: FilingError.self) {
            try filer.file(Data("x".utf8), workflow: names.workflow, task: names.task, run: names.run, file: names.file)
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appending("logs")), "nothing is created")
    }
}
