import Foundation
import Testing
@testable import FarmWorker
#if canImport(Glibc)
import Glibc
#endif

/// Each worker's scratch folder, and the sweep of dead workers' folders a starting worker makes.
struct WorkerScratchTests {
    static func root() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("scratch-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        return root
    }

    static func folder(_ root: String, _ name: String, files: [String]) throws {
        let folder = (root as NSString).appendingPathComponent(name)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for file in files {
            #expect(FileManager.default.createFile(atPath: (folder as NSString).appendingPathComponent(file), contents: Data()))
        }
    }

    @Test func theLockAppearsAlreadyLocked() throws {
        let root = try Self.root()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let scratch = try WorkerScratch(root: root)
        let names = try FileManager.default.contentsOfDirectory(atPath: scratch.directory)
        #expect(names == [WorkerScratch.lockName])
        let descriptor = open((scratch.directory as NSString).appendingPathComponent(WorkerScratch.lockName), O_RDWR)
        defer { close(descriptor) }
        #expect(flock(descriptor, LOCK_EX | LOCK_NB) != 0, "a live worker's lock cannot be taken")
    }

    @Test func aSweepRemovesOnlyDeadWorkersFolders() throws {
        let root = try Self.root()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let live = try WorkerScratch(root: root)
        try Self.folder(root, "run-1-0000dead", files: [WorkerScratch.lockName])              // its worker died
        try Self.folder(root, "run-2-0000beef", files: [WorkerScratch.unlockedLockName])      // still starting
        try Self.folder(root, "run-3-00000000", files: [])                                     // between mkdir and open
        try Self.folder(root, "notes", files: [WorkerScratch.lockName])                        // not a worker's
        let sweeper = try WorkerScratch(root: root)
        #expect(sweeper.removeDeadWorkersFolders() == ["run-1-0000dead"])
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: root))
        #expect(left == [(live.directory as NSString).lastPathComponent, (sweeper.directory as NSString).lastPathComponent,
                         "run-2-0000beef", "run-3-00000000", "notes"])
    }
}
