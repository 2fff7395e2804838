import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes `data` to `temporary`, syncs it and renames it over `final`, so `final` either does not
/// exist or holds every byte; a crash leaves at most the temporary, which its owner removes on start.
func writeAtomically(_ data: Data, via temporary: String, to final: String) throws(FilingError) {
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
        throw .cannotWrite(path: temporary, reason: error.localizedDescription)
    }
    guard rename(temporary, final) == 0 else {
        let reason = String(cString: strerror(errno))
        unlink(temporary)
        throw .cannotRename(from: temporary, to: final, reason: reason)
    }
}

/// `writeAtomically` inside an open folder: the temporary is created with `O_EXCL | O_NOFOLLOW`
/// and renamed over `final` within the same descriptor, so no path is resolved twice and no link
/// is followed. `folder` names the descriptor's folder in errors.
func writeAtomically(_ data: Data, in directory: Int32, folder: String, temporary: String,
                     final: String) throws(FilingError) {
    let temporaryPath = (folder as NSString).appendingPathComponent(temporary)
    let fd = openat(directory, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw .cannotWrite(path: temporaryPath, reason: String(cString: strerror(errno))) }
    let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: false)
    do {
        try handle.write(contentsOf: data)
        try handle.synchronize()
        close(fd)
    } catch {
        close(fd)
        unlinkat(directory, temporary, 0)
        throw .cannotWrite(path: temporaryPath, reason: error.localizedDescription)
    }
    guard renameat(directory, temporary, directory, final) == 0 else {
        let reason = String(cString: strerror(errno))
        unlinkat(directory, temporary, 0)
        throw .cannotRename(from: temporaryPath, to: (folder as NSString).appendingPathComponent(final), reason: reason)
    }
}
