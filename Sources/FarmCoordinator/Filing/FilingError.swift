import FarmCore

/// Why a clip could not be put in place under the logs root.
public enum FilingError: Error, Sendable, CustomStringConvertible {
    /// A workflow, task, run or file name that would leave its folder.
    case unsafeName(LayoutError)
    case cannotCreateDirectory(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    case cannotRename(from: String, to: String, reason: String)
    /// A folder on the way is a symlink or not a folder: refused, never followed.
    case unsafePath(ContainedPathError)

    /// True for a fault of the coordinator's disk (full, read-only, gone), not of the clip or its
    /// names: the clip is held and filed later rather than counted against the worker.
    public var isStorageFault: Bool {
        switch self {
        case .unsafeName, .unsafePath: false
        case .cannotCreateDirectory, .cannotWrite, .cannotRename: true
        }
    }

    public var description: String {
        switch self {
        case .unsafeName(let error): "refused: \(error)"
        case .unsafePath(let error): "refused: \(error)"
        case let .cannotCreateDirectory(path, reason): "cannot create the video folder \(path): \(reason)"
        case let .cannotWrite(path, reason): "cannot write \(path): \(reason)"
        case let .cannotRename(from, to, reason): "cannot rename \(from) to \(to): \(reason)"
        }
    }
}
