import Foundation

/// Wall time and CPU time (user + system, all threads) of one run. On a shared machine the wall
/// time moves with other people's load; the CPU time barely does, so the table shows both.
struct Timing {
    var wall: Double
    var cpu: Double

    static let unmeasured = Timing(wall: .infinity, cpu: .infinity)

    /// Times `body` in this process (our encoder and its threads).
    static func ofThisProcess(_ body: () throws -> Void) rethrows -> Timing {
        try measure(RUSAGE_SELF.rawValue, body)
    }

    /// Times `body` by the child processes it waits for (the ffmpeg command line).
    static func ofChildren(_ body: () throws -> Void) rethrows -> Timing {
        try measure(RUSAGE_CHILDREN.rawValue, body)
    }

    func fastest(_ other: Timing) -> Timing { Timing(wall: min(wall, other.wall), cpu: min(cpu, other.cpu)) }

    private static func measure(_ who: Int32, _ body: () throws -> Void) rethrows -> Timing {
        let (cpuStart, wallStart) = (cpuSeconds(who), DispatchTime.now().uptimeNanoseconds)
        try body()
        let wall = Double(DispatchTime.now().uptimeNanoseconds - wallStart) / 1e9
        return Timing(wall: wall, cpu: cpuSeconds(who) - cpuStart)
    }

    private static func cpuSeconds(_ who: Int32) -> Double {
        var usage = rusage()
        getrusage(who, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
