import Foundation

/// This process's resident memory, from `/proc/self/statm` (pages × page size); 0 where there is none.
/// Workers report it in heartbeats; the coordinator exports its own as a metric.
public enum ProcessMemory {
    public static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
