#if canImport(Glibc)
import Glibc
#endif

/// The process's descriptor limit. Every client, worker and dashboard connection is a descriptor,
/// and a shell's soft limit is often 1024 whatever the hard limit allows: the coordinator raises
/// its soft limit to the hard one at start (cluster/systemd sets the hard one, `LimitNOFILE`).
/// Dashboard connections and uploads are refused while fewer than `reserve` are left, so the
/// descriptors that remain go to ZeroMQ (clients and workers), SQLite and filing.
public enum DescriptorBudget {
    /// Descriptors kept for the coordinator's own sockets, database and clip files.
    public static let reserve = 64

    /// True while fewer than `reserve` descriptors are left under the soft limit (counted live in
    /// /proc/self/fd; false where that cannot be read).
    public static func isShort(reserve: Int = reserve) -> Bool {
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur < rlim_t(Int.max), let open = openCount() else { return false }
        return open + reserve > Int(limit.rlim_cur)
    }

    /// Descriptors open now, or nil where /proc/self/fd cannot be read.
    static func openCount() -> Int? {
        guard let directory = opendir("/proc/self/fd") else { return nil }
        defer { closedir(directory) }
        var count = -1  // the directory's own descriptor
        while let entry = readdir(directory) {
            if entry.pointee.d_name.0 != CChar(UInt8(ascii: ".")) { count += 1 }
        }
        return count
    }

    /// Raises the soft RLIMIT_NOFILE to the hard one; returns the soft limit now in force.
    @discardableResult
    public static func raiseSoftLimit() -> Int {
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return 0 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        return limit.rlim_cur >= rlim_t(Int.max) ? Int.max : Int(limit.rlim_cur)
    }
}
