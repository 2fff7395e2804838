import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// This process's own folder under the scratch root, `run-<pid>-<8 hex>`, holding a `.lock` that
/// the process keeps locked (flock) for as long as it lives. Clips and the encoder's `*.partial-*`
/// temporaries are written only there. On start, a worker removes the folders of dead workers (a
/// `run-…` folder whose lock it can take: the kernel drops a killed process's locks), and never
/// touches a live worker's folder or anything not named by this pattern.
final class WorkerScratch {
    let root: String
    let directory: String
    private let lockDescriptor: Int32

    /// Names this type creates, and the only ones its sweep removes.
    static func isRunFolder(_ name: String) -> Bool {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0] == "run" && !parts[1].isEmpty && parts[1].allSatisfy(\.isASCIIDigit)
            && parts[2].count == 8 && parts[2].allSatisfy(\.isHexDigitLowercase)
    }

    static let lockName = ".lock"
    /// The lock file's name until it is locked: a worker sweeping at that moment must not take an
    /// unlocked `.lock` of a worker still starting for a dead one's (it did, in a soak run).
    static let unlockedLockName = ".lock-unlocked"

    /// Creates and locks this process's folder under `root`; its `.lock` appears already locked.
    init(root: String) throws(WorkerError) {
        self.root = root
        let name = "run-\(getpid())-\(String(format: "%08x", UInt32.random(in: 0...UInt32.max)))"
        directory = (root as NSString).appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .scratchDirectory(path: directory, reason: error.localizedDescription)
        }
        let unlocked = (directory as NSString).appendingPathComponent(Self.unlockedLockName)
        let path = (directory as NSString).appendingPathComponent(Self.lockName)
        let descriptor = open(unlocked, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        // The lock belongs to the open file, so it holds across the rename.
        guard descriptor >= 0, flock(descriptor, LOCK_EX | LOCK_NB) == 0, rename(unlocked, path) == 0 else {
            let reason = String(cString: strerror(errno))
            if descriptor >= 0 { close(descriptor) }
            throw .scratchDirectory(path: path, reason: "cannot lock: \(reason)")
        }
        lockDescriptor = descriptor
    }

    /// Removes the folders of workers that are no longer running; returns their names.
    func removeDeadWorkersFolders() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.filter { name in
            let folder = (root as NSString).appendingPathComponent(name)
            guard Self.isRunFolder(name), folder != directory else { return false }
            let descriptor = open((folder as NSString).appendingPathComponent(Self.lockName), O_RDWR | O_CLOEXEC)
            // No lock file yet: a worker between mkdir and open; leave it alone.
            guard descriptor >= 0 else { return false }
            defer { close(descriptor) }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { return false }
            return (try? FileManager.default.removeItem(atPath: folder)) != nil
        }
    }

    /// The path a clip is written to.
    func clipPath(jobId: String, clipId: Int, attempt: Int) -> String {
        let safe = String(jobId.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
        return (directory as NSString).appendingPathComponent("\(safe)-\(clipId)-\(attempt).mp4")
    }

    /// Removes this process's folder (on a clean exit) and lets its lock go.
    deinit {
        try? FileManager.default.removeItem(atPath: directory)
        close(lockDescriptor)
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
    var isHexDigitLowercase: Bool { isASCIIDigit || ("a"..."f").contains(self) }
}
