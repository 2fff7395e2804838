import Foundation
import Testing
@testable import FarmCoordinator

/// A coordinator removes its own filing temporaries left by a killed predecessor, and nothing else.
struct FilingTemporaryTests {
    static let tag = "0123456789abcdef"
    static let uuid = "0A1B2C3D-4E5F-4061-8273-9A8B7C6D5E4F"

    @Test(arguments: [
        (".rl-video-step-0.mp4.0123456789abcdef.\(uuid).part", true),
        (".rl-video-step-0.mp4.fedcba9876543210.\(uuid).part", false),
        (".rl-video-step-0.mp4.0123456789abcdef.\(uuid).part.keep", false),
        (".rl-video-step-0.mp4.0123456789abcdef.not-a-uuid.part", false),
        (".rl-video-step-20.mp4.0123456789abcdef.\(uuid).part", false),
        ("rl-video-step-0.mp4.0123456789abcdef.\(uuid).part", false),
        (".rl-video-step-0.mp4.16495.\(uuid).part", false),
        ("rl-video-step-0.mp4", false),
    ] as [(String, Bool)])
    func onlyThisTagsTemporaryOfTheFileMatches(name: String, matches: Bool) {
        let filer = ClipFiler(logsRoot: "/logs", temporaryTag: Self.tag)
        #expect(filer.isTemporary(name, of: "rl-video-step-0.mp4") == matches)
    }

    @Test func staleTemporariesOfTheJobsFilesAreRemovedAndNothingElse() throws {
        let dir = try TemporaryDirectory()
        let filer = ClipFiler(logsRoot: dir.path, temporaryTag: Self.tag)
        let clip = try filer.file(Data("clip".utf8), workflow: "w", task: "t", run: "r", file: "rl-video-step-0.mp4")
        let folder = (clip as NSString).deletingLastPathComponent
        let mine = ".rl-video-step-100.mp4.\(Self.tag).\(Self.uuid).part"
        let kept = [".rl-video-step-100.mp4.fedcba9876543210.\(Self.uuid).part", // another farm's coordinator
                    ".rl-video-step-999.mp4.\(Self.tag).\(Self.uuid).part",     // not a file of this job
                    "notes.txt", "rl-video-step-0.mp4"]
        for name in [mine] + kept where name != "rl-video-step-0.mp4" {
            _ = FileManager.default.createFile(atPath: (folder as NSString).appendingPathComponent(name), contents: Data("x".utf8))
        }
        let removed = filer.removeStaleTemporaries(workflow: "w", task: "t", run: "r",
                                                   files: ["rl-video-step-0.mp4", "rl-video-step-100.mp4"])
        #expect(removed == [(folder as NSString).appendingPathComponent(mine)])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == kept.sorted())
        #expect(filer.removeStaleTemporaries(workflow: "w", task: "missing", run: "r", files: ["a.mp4"]).isEmpty)
    }

    @Test func theTagIsKeptInTheStateDirectory() throws {
        let dir = try TemporaryDirectory()
        let first = try FilingTag.load(stateDirectory: dir.path)
        #expect(FilingTag.isValid(first))
        #expect(try FilingTag.load(stateDirectory: dir.path) == first)
        #expect(FilingTag.random() != FilingTag.random())
    }
}
