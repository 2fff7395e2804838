import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A path below the logs root, reached one component at a time with `openat(O_NOFOLLOW)`: a
/// symlink, FIFO or device anywhere below the root is refused, never followed or opened, so nothing
/// a user puts in the logs root can make the coordinator read, write or delete outside it, or block
/// on a file. The root itself is the operator's choice and may be a symlink.
public struct ContainedPath: Sendable, Equatable {
    public let root: String
    /// The names below the root, none empty, `.` or `..`.
    public let components: [String]

    /// Refuses a path that is not lexically below `root`.
    public init(_ path: String, under root: String) throws(ContainedPathError) {
        let trimmedRoot = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
        guard path.hasPrefix(trimmedRoot + "/") else { throw .outsideRoot(path: path, root: root) }
        let below = path.dropFirst(trimmedRoot.count + 1).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !below.isEmpty, below.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
            throw .outsideRoot(path: path, root: root)
        }
        self.root = trimmedRoot
        components = below
    }

    public var path: String { ([root] + components).joined(separator: "/") }
    public var name: String { components[components.count - 1] }

    /// The directory holding the last component, opened without following a link at any level
    /// below the root; `create` makes missing directories (0755). The caller closes the descriptor.
    public func openParent(create: Bool) throws(ContainedPathError) -> Int32 {
        var directory = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory < 0, errno == ENOENT, create {
            // The root is the operator's: made as a path, links and all, then opened like any run.
            try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            directory = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        }
        guard directory >= 0 else { throw .system(operation: "open the logs root", path: root, errno: errno) }
        var walked = root
        for component in components.dropLast() {
            walked += "/" + component
            var next = openat(directory, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if next < 0, errno == ENOENT, create {
                if mkdirat(directory, component, 0o755) != 0, errno != EEXIST {
                    let code = errno
                    close(directory)
                    throw .system(operation: "create the directory", path: walked, errno: code)
                }
                next = openat(directory, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            let code = errno
            close(directory)
            guard next >= 0 else {
                // O_NOFOLLOW on a symlink gives ELOOP; O_DIRECTORY on anything else ENOTDIR.
                if code == ELOOP || code == ENOTDIR { throw .notADirectory(path: walked) }
                throw .system(operation: "open the directory", path: walked, errno: code)
            }
            directory = next
        }
        return directory
    }
}

/// Why a path under the logs root was refused.
public enum ContainedPathError: Error, Equatable, Sendable, CustomStringConvertible {
    case outsideRoot(path: String, root: String)
    /// A directory component is a symlink or not a directory.
    case notADirectory(path: String)
    /// The file is a symlink, FIFO, socket or device, not a regular file.
    case notARegularFile(path: String)
    case missing(path: String)
    case system(operation: String, path: String, errno: Int32)

    public var description: String {
        switch self {
        case let .outsideRoot(path, root):
            "\(path) is not below the logs root \(root)"
        case let .notADirectory(path):
            "\(path) is a symlink or not a directory; the farm follows no link below the logs root"
        case let .notARegularFile(path):
            "\(path) is a symlink or not a regular file; the farm reads and replaces only regular files it filed"
        case let .missing(path):
            "\(path) is gone from the logs root"
        case let .system(operation, path, code):
            "cannot \(operation) \(path): \(String(cString: strerror(code)))"
        }
    }
}
