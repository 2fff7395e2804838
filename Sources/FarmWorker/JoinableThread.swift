import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A POSIX thread that must be joined. Foundation's `Thread` is detached, so a process could exit
/// while one still ran its thread-local destructors (the worker's old `double free` at exit);
/// every thread the worker starts is one of these and is joined before `run()` returns.
final class JoinableThread: @unchecked Sendable {
    // `handle` is written once in init and read by `join()` only.
    private var handle = pthread_t()
    private var joined = false

    /// Starts `body` on a new thread named `name` (Linux keeps at most 15 bytes and silently
    /// ignores a longer name, hence the precondition). The thread inherits the caller's signal mask.
    init(name: String, body: @escaping @Sendable () -> Void) {
        precondition(name.utf8.count <= 15, "thread name '\(name)' is longer than Linux's 15 bytes")
        let box = Unmanaged.passRetained(Start(name: name, body: body))
        let status = pthread_create(&handle, nil, { argument in
            let start = Unmanaged<Start>.fromOpaque(argument!).takeRetainedValue()
            // Foundation names the calling thread with pthread_setname_np (Glibc does not export it).
            Thread.current.name = start.name
            start.body()
            return nil
        }, box.toOpaque())
        if status != 0 {
            box.release()
            fatalError("pthread_create(\(name)) failed: \(String(cString: strerror(status)))")
        }
    }

    /// Waits for the thread to end. Call once, from another thread.
    func join() {
        precondition(!joined, "thread joined twice")
        joined = true
        let status = pthread_join(handle, nil)
        precondition(status == 0, "pthread_join failed: \(String(cString: strerror(status)))")
    }

    /// Sends `signal` to this thread alone (the thread must have it blocked and be waiting for it).
    func send(signal: Int32) {
        _ = pthread_kill(handle, signal)
    }

    private final class Start {
        let name: String
        let body: @Sendable () -> Void

        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }
}
