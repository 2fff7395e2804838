import Foundation
import Testing
@testable import FarmMonitor

struct FiledClipFileTests {
    @Test func servesOnlyRegularFilesInsideTheLogsRoot() throws {
        let fixture = try MonitorFixture()
        let root = fixture.logsRoot
        let inside = root + "/run/videos/train/rl-video-step-0.mp4"
        try FileManager.default.createDirectory(atPath: root + "/run/videos/train", withIntermediateDirectories: true)
        try Data("mp4".utf8).write(to: URL(fileURLWithPath: inside))
        let outside = fixture.directory + "/secret.txt"
        try Data("secret".utf8).write(to: URL(fileURLWithPath: outside))
        try FileManager.default.createSymbolicLink(atPath: root + "/run/videos/train/link.mp4", withDestinationPath: outside)
        try FileManager.default.createSymbolicLink(atPath: root + "/run/escape", withDestinationPath: fixture.directory)
        // A sibling whose name starts like the root's must not pass a prefix check.
        try FileManager.default.createDirectory(atPath: root + "-other", withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: root + "-other/clip.mp4"))

        #expect(FiledClipFile.resolve(inside, logsRoot: root) == .success(FiledClipFile(path: inside, size: 3)))
        #expect(FiledClipFile.resolve(root + "/run/videos/train/link.mp4", logsRoot: root) == .failure(.outsideLogsRoot))
        #expect(FiledClipFile.resolve(root + "/run/escape/secret.txt", logsRoot: root) == .failure(.outsideLogsRoot))
        #expect(FiledClipFile.resolve(root + "/run/../../secret.txt", logsRoot: root) == .failure(.outsideLogsRoot))
        #expect(FiledClipFile.resolve(root + "-other/clip.mp4", logsRoot: root) == .failure(.outsideLogsRoot))
        #expect(FiledClipFile.resolve("/etc/passwd", logsRoot: root) == .failure(.outsideLogsRoot))
        #expect(FiledClipFile.resolve(root + "/run", logsRoot: root) == .failure(.notAFile))
        #expect(FiledClipFile.resolve(root + "/run/missing.mp4", logsRoot: root) == .failure(.missing))
    }
}
