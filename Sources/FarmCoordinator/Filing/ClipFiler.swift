import FarmCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Puts finished clips where Isaac Lab's `--video` puts them:
/// `<logs-root>/<workflow>/<task>/<run>/videos/train/<file>`. Each clip is written to a hidden
/// temporary name in the same folder, flushed to disk, then renamed over the final name, so a reader
/// (or a coordinator killed mid-write) never sees half a clip under the real name.
///
/// A temporary is named `.<file>.<tag>.<UUID>.part`, where `tag` belongs to one state directory
/// (`FilingTag`), which only one coordinator at a time may hold. So a temporary carrying this
/// coordinator's tag that exists when it starts was left by a killed predecessor, and it removes
/// exactly those, in its unfinished jobs' video folders, without touching anything else.
public struct ClipFiler: Sendable {
    public let logsRoot: String
    public let temporaryTag: String

    public init(logsRoot: String, temporaryTag: String = FilingTag.random()) {
        self.logsRoot = logsRoot
        self.temporaryTag = temporaryTag
    }

    /// True when `name` is a temporary this filer's tag would give `file`.
    public func isTemporary(_ name: String, of file: String) -> Bool {
        let prefix = ".\(file).\(temporaryTag).", suffix = ".part"
        guard name.hasPrefix(prefix), name.hasSuffix(suffix), name.count == prefix.count + 36 + suffix.count else { return false }
        return UUID(uuidString: String(name.dropFirst(prefix.count).dropLast(suffix.count))) != nil
    }

    /// Removes this tag's temporaries of `files` from the run's video folder; returns their paths.
    /// Call before filing anything: a temporary with this tag is then a dead coordinator's.
    public func removeStaleTemporaries(workflow: String, task: String, run: String, files: [String]) -> [String] {
        guard let directory = try? layout(workflow: workflow, task: task, run: run).videoDirectory,
              let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.filter { name in files.contains { isTemporary(name, of: $0) } }
            .map { (directory as NSString).appendingPathComponent($0) }
            .filter { unlink($0) == 0 }
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

    /// Writes `data` atomically as the clip `file` of the run; returns its path. Every folder below
    /// the logs root is opened without following a link (`ContainedPath`): a symlinked run or video
    /// folder is refused, so no clip is ever written outside the logs root.
    @discardableResult
    public func file(_ data: Data, workflow: String, task: String, run: String, file: String) throws(FilingError) -> String {
        let path = try destination(workflow: workflow, task: task, run: run, file: file)
        let folder = (path as NSString).deletingLastPathComponent
        let directory: Int32
        do {
            directory = try ContainedPath(path, under: logsRoot).openParent(create: true)
        } catch {
            if case .system(_, _, let code) = error { throw .cannotCreateDirectory(path: folder, reason: String(cString: strerror(code))) }
            throw .unsafePath(error)
        }
        defer { close(directory) }
        try writeAtomically(data, in: directory, folder: folder,
                            temporary: ".\(file).\(temporaryTag).\(UUID().uuidString).part", final: file)
        return path
    }
}
