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

    /// Issue 19, finding 9: a symlinked folder on the way (the run, videos, videos/train) is
    /// refused, never followed: nothing is written outside the logs root.
    @Test(arguments: ["w", "w/t/r", "w/t/r/videos", "w/t/r/videos/train"])
    func aSymlinkedFolderIsRefusedNotFollowed(linked: String) throws {
        let dir = try TemporaryDirectory()
        let root = dir.appending("logs")
        let outside = dir.appending("outside")
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        let link = (root as NSString).appendingPathComponent(linked)
        try FileManager.default.createDirectory(atPath: (link as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: outside)
        let filer = ClipFiler(logsRoot: root)
        let error = #expect(throws: FilingError.self) {
            try filer.file(Data("x".utf8), workflow: "w", task: "t", run: "r", file: "c.mp4")
        }
        #expect(error.map { "\($0)" }?.contains("symlink") == true, "\(error.map { "\($0)" } ?? "filed")")
        #expect(error?.isStorageFault == false)
        #expect(try FileManager.default.subpathsOfDirectory(atPath: outside).isEmpty, "nothing was written outside")
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
