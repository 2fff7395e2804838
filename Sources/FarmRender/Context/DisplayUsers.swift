import CEGL
import Foundation

/// Counts the `RenderDevice`s open on each EGL display. EGL hands out one display per device for
/// the whole process and `eglTerminate` ends it for everyone, so the display is initialised by its
/// first user and terminated by its last; both happen under one lock so that a device opening on
/// one thread never races a terminate on another.
final class DisplayUsers: @unchecked Sendable {
    static let shared = DisplayUsers()

    // Guarded by `lock`; keyed by the display's address.
    private var users: [UInt: Int] = [:]
    private let lock = NSLock()

    func retain(_ display: EGLDisplay) throws(RenderError) {
        lock.lock()
        defer { lock.unlock() }
        let key = UInt(bitPattern: display)
        if users[key, default: 0] == 0 {
            var major: EGLint = 0, minor: EGLint = 0
            guard eglInitialize(display, &major, &minor) == EGL_TRUE else {
                throw .eglCallFailed(function: "eglInitialize", error: EGLErrorName.last())
            }
        }
        users[key, default: 0] += 1
    }

    func release(_ display: EGLDisplay) {
        lock.lock()
        defer { lock.unlock() }
        let key = UInt(bitPattern: display)
        guard let count = users[key] else { return }
        if count > 1 {
            users[key] = count - 1
        } else {
            users[key] = nil
            eglTerminate(display)
        }
    }
}
