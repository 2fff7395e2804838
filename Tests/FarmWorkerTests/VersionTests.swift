import Foundation
import Testing
@testable import FarmWorker

/// The farm's version has one owner, python/renderfarm/_version.py (the wheels are built from it);
/// the version workers announce in READY must say the same.
struct VersionTests {
    @Test func workersAnnounceThePackagesVersion() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let source = try String(contentsOf: repository.appendingPathComponent("python/renderfarm/_version.py"), encoding: .utf8)
        let line = try #require(source.split(separator: "\n").first { $0.hasPrefix("__version__") })
        let version = line.split(separator: "\"").dropFirst().first.map(String.init)
        #expect(version == FarmWorkerVersion.current)
    }
}
