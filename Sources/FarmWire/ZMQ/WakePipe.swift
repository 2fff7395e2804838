#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A self-pipe that lets any thread wake a thread blocked in `ZMQPoller.poll` (poll its
/// `readDescriptor`): the render thread uses it to hand over a finished clip without the I/O thread
/// spinning, and it is safe to signal from a signal-handling queue.
public final class WakePipe: @unchecked Sendable {
    // Both descriptors are fixed at init; write(2) and read(2) on a pipe are thread-safe.
    public let readDescriptor: Int32
    private let writeDescriptor: Int32

    public init() throws(SocketError) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw SocketError(operation: "pipe", errno: errno) }
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        readDescriptor = fds[0]
        writeDescriptor = fds[1]
    }

    deinit {
        close(readDescriptor)
        close(writeDescriptor)
    }

    /// Makes the read end readable. A full pipe already means "wake up", so a failed write is fine.
    public func signal() {
        var byte: UInt8 = 1
        _ = write(writeDescriptor, &byte, 1)
    }

    /// Empties the pipe after a wake-up.
    public func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readDescriptor, &buffer, buffer.count) > 0 {}
    }
}
