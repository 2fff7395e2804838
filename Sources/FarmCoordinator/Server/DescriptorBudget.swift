#if canImport(Glibc)
import Glibc
#endif

/// The process's descriptor limit. Every client, worker and dashboard connection is a descriptor,
/// and a shell's soft limit is often 1024 whatever the hard limit allows: the coordinator raises
/// its soft limit to the hard one at start (cluster/systemd sets the hard one, `LimitNOFILE`).
/// Descriptors are counted live, and each newcomer is refused while too few would be left after it
/// (`Claimant`): SQLite and filing always keep `reserve`, workers as many again beyond what clients
/// may take, and clients as many again beyond what dashboard connections and uploads may take.
public enum DescriptorBudget {
    /// Descriptors kept for the coordinator's own sockets, database and clip files.
    public static let reserve = 64

    /// Who would take the next descriptor, most needed first: each is refused while fewer than
    /// `keeps` would be left, so a flood of one kind leaves room for the kinds before it.
    public enum Claimant: Sendable {
        /// A worker's connection: the farm's work, refused only when the database and filing would
        /// go short.
        case worker
        /// A client's connection (trainers, farmctl).
        case client
        /// A dashboard connection or an upload's spool file.
        case dashboardOrUpload

        /// Descriptors that must be left free after this claimant takes one.
        public var keeps: Int {
            switch self {
            case .worker: reserve
            case .client: 2 * reserve
            case .dashboardOrUpload: 3 * reserve
            }
        }
    }

    /// True while fewer than `claimant.keeps` descriptors are left under the soft limit (counted
    /// live in /proc/self/fd; false where that cannot be read).
    public static func isShort(for claimant: Claimant) -> Bool {
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur < rlim_t(Int.max), let open = openCount() else { return false }
        return open + claimant.keeps > Int(limit.rlim_cur)
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
