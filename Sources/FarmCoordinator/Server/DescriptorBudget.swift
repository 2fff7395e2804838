#if canImport(Glibc)
import Glibc
#endif

/// The process's descriptor limit. Every client, worker and dashboard connection is a descriptor,
/// and a shell's soft limit is often 1024 whatever the hard limit allows: the coordinator raises
/// its soft limit to the hard one at start (cluster/systemd sets the hard one, `LimitNOFILE`).
public enum DescriptorBudget {
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
