import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on `<state-dir>/coordinator.lock`, so two coordinators never share one state
/// directory. The kernel drops it when the process dies, even by `kill -9`, so a restart is never
/// blocked by a stale lock.
final class StateDirectoryLock {
    let path: String
    private var descriptor: Int32

    init(stateDirectory: String) throws(CoordinatorError) {
        path = (stateDirectory as NSString).appendingPathComponent("coordinator.lock")
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .stateDirectory(path: stateDirectory, reason: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            close(descriptor)
            throw .stateDirectory(path: stateDirectory, reason: "another coordinator is using it"
                + (holder.map { $0.isEmpty ? "" : " (pid \($0))" } ?? ""))
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(descriptor, 0)
        _ = pid.withCString { write(descriptor, $0, strlen($0)) }
    }

    /// Lets another coordinator take the directory (idempotent).
    func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
