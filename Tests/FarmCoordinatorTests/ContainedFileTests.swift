import Foundation
import Testing
@testable import FarmCoordinator
#if canImport(Glibc)
import Glibc
#endif

/// Only a regular file reached below the logs root without a link is opened (FETCH_CLIP and the
/// dashboard's clips); everything else is refused by kind.
struct ContainedFileTests {
    @Test func opensOnlyRegularFilesInsideTheRootWithoutLinks() throws {
        let dir = try TemporaryDirectory()
        let root = dir.appending("logs")
        let manager = FileManager.default
        try manager.createDirectory(atPath: root + "/run/videos/train", withIntermediateDirectories: true)
        let inside = root + "/run/videos/train/rl-video-step-0.mp4"
        try Data("mp4".utf8).write(to: URL(fileURLWithPath: inside))
        let outside = dir.appending("secret.txt")
        try Data("secret".utf8).write(to: URL(fileURLWithPath: outside))
        try manager.createSymbolicLink(atPath: root + "/run/videos/train/link.mp4", withDestinationPath: outside)
        try manager.createSymbolicLink(atPath: root + "/run/escape", withDestinationPath: dir.path)
        try manager.createDirectory(atPath: root + "-other", withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: root + "-other/clip.mp4"))
        #expect(mkfifo(root + "/run/videos/train/fifo.mp4", 0o644) == 0)

        let file = try ContainedFile(inside, under: root)
        #expect(file.size == 3)
        #expect(try file.read(offset: 1, count: 10) == Data("p4".utf8))

        let refused: [(String, ContainedPathError)] = [
            (root + "/run/videos/train/link.mp4", .notARegularFile(path: root + "/run/videos/train/link.mp4")),
            (root + "/run/videos/train/fifo.mp4", .notARegularFile(path: root + "/run/videos/train/fifo.mp4")),
            (root + "/run/escape/secret.txt", .notADirectory(path: root + "/run/escape")),
            (root + "/run/../../secret.txt", .outsideRoot(path: root + "/run/../../secret.txt", root: root)),
            (root + "-other/clip.mp4", .outsideRoot(path: root + "-other/clip.mp4", root: root)),
            ("/etc/passwd", .outsideRoot(path: "/etc/passwd", root: root)),
            (root + "/run", .notARegularFile(path: root + "/run")),
            (root + "/run/missing.mp4", .missing(path: root + "/run/missing.mp4")),
        ]
        for (path, expected) in refused {
            #expect(throws: expected, "\(path)") { try ContainedFile(path, under: root) }
        }
    }
}
