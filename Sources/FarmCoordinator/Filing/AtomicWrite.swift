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
