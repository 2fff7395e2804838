import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A regular file below the logs root, open for reading: reached with `ContainedPath` (no link
/// followed), opened with `O_NOFOLLOW | O_NONBLOCK` (a FIFO cannot block the caller) and checked
/// with `fstat` on the open descriptor, so what is checked is what is read.
///
/// Sendable: every property is immutable and `pread` may be called from any thread.
public final class ContainedFile: Sendable {
    public let path: String
    public let size: Int
    private let descriptor: Int32

    public init(_ path: String, under root: String) throws(ContainedPathError) {
        let contained = try ContainedPath(path, under: root)
        let directory = try contained.openParent(create: false)
        let fd = openat(directory, contained.name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        let code = errno
        close(directory)
        guard fd >= 0 else {
            if code == ENOENT { throw .missing(path: path) }
            if code == ELOOP { throw .notARegularFile(path: path) }
            throw .system(operation: "open", path: path, errno: code)
        }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw .notARegularFile(path: path)
        }
        self.path = path
        size = Int(info.st_size)
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Up to `count` bytes from `offset` (fewer at the end of the file).
    public func read(offset: Int, count: Int) throws(ContainedPathError) -> Data {
        var data = Data(count: max(0, min(count, size - offset)))
        var filled = 0
        while filled < data.count {
            let got = data.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress! + filled, buffer.count - filled, off_t(offset + filled))
            }
            if got < 0, errno == EINTR { continue }
            guard got > 0 else {
                if got < 0 { throw .system(operation: "read", path: path, errno: errno) }
                break
            }
            filled += got
        }
        return data.prefix(filled)
    }
}
