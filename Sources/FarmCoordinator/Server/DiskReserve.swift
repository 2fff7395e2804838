import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Free space the coordinator keeps on its state directory's filesystem. The database must always
/// be writable (a write it cannot make stops the coordinator), and uploads (256 GiB reserved at
/// most) or inline rollouts could fill a smaller disk first: they are refused while taking them
/// would leave less than `keep` free.
struct DiskReserve {
    let directory: String
    let keep: Int

    /// Free bytes of the filesystem holding `directory`, nil where it cannot be read.
    func freeBytes() -> Int? {
        var status = statvfs()
        guard statvfs(directory, &status) == 0 else { return nil }
        return Int(status.f_bavail) * Int(status.f_frsize)
    }

    /// Why `needed` more bytes, with `promised` already promised to uploads under way, may not be
    /// written now; nil when they may (or the free space cannot be read).
    func refusal(needed: Int, promised: Int) -> String? {
        guard let free = freeBytes(), free - promised - needed < keep else { return nil }
        return "the coordinator's state directory \(directory) has \(free) bytes free (\(promised) of them promised to "
            + "uploads under way), and it keeps \(keep) free for its database; \(needed) more cannot be taken now: "
            + "try again later, or free space there"
    }
}
