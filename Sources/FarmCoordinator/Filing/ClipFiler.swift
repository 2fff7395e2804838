import FarmCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Puts finished clips where Isaac Lab's `--video` puts them:
/// `<logs-root>/<workflow>/<task>/<run>/videos/train/<file>`. Each clip is written to a hidden
/// temporary name in the same folder, flushed to disk, then renamed over the final name, so a reader
/// (or a coordinator killed mid-write) never sees half a clip under the real name.
public struct ClipFiler: Sendable {
    public let logsRoot: String

    public init(logsRoot: String) {
        self.logsRoot = logsRoot
    }

    /// The run's layout; refuses names that would leave the logs root (checked at submission).
    public func layout(workflow: String, task: String, run: String) throws(FilingError) -> RunLayout {
        do {
            return try RunLayout(logsRoot: logsRoot, workflow: workflow, task: task, run: run)
        } catch {
            throw .unsafeName(error)
        }
    }

    /// The final path of `file` in the run's video folder.
    public func destination(workflow: String, task: String, run: String, file: String) throws(FilingError) -> String {
        let layout = try layout(workflow: workflow, task: task, run: run)
        do {
            return try layout.clipPath(file: file)
        } catch {
            throw .unsafeName(error)
        }
    }

    /// Writes `data` atomically as the clip `file` of the run; returns its path.
    @discardableResult
    public func file(_ data: Data, workflow: String, task: String, run: String, file: String) throws(FilingError) -> String {
        let path = try destination(workflow: workflow, task: task, run: run, file: file)
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .cannotCreateDirectory(path: directory, reason: "\(error.localizedDescription)")
        }
        let temporary = (directory as NSString).appendingPathComponent(".\(file).\(getpid()).\(UUID().uuidString).part")
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary) else {
            throw .cannotWrite(path: temporary, reason: String(cString: strerror(errno)))
        }
        do {
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            unlink(temporary)
            throw .cannotWrite(path: temporary, reason: "\(error.localizedDescription)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .cannotRename(from: temporary, to: path, reason: reason)
        }
        return path
    }
}
