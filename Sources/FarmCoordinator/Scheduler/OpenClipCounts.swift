/// Clips per job not yet done, failed or cancelled: a job settles when its count reaches 0, checked
/// in constant time per event however many clips the job has. Closing a clip of a job with none
/// open is a miscount, reported rather than hidden.
struct OpenClipCounts {
    private var counts: [JobID: Int] = [:]
    /// Every job's count together.
    private(set) var total = 0

    struct Miscount: Error, CustomStringConvertible {
        let job: JobID
        var description: String { "clip count of job \(job) would go below zero: a clip was closed twice or never counted" }
    }

    mutating func open(_ count: Int, of job: JobID) {
        counts[job, default: 0] += count
        total += count
    }

    /// Starts a job's count again from 0 (a retried job is counted afresh).
    mutating func reset(_ job: JobID) {
        total -= counts[job] ?? 0
        counts[job] = 0
    }

    /// Counts one clip of `job` as final; the count stays at 0 on a miscount.
    mutating func close(of job: JobID) throws(Miscount) {
        guard let count = counts[job], count > 0 else { throw Miscount(job: job) }
        counts[job] = count - 1
        total -= 1
    }

    func isSettled(_ job: JobID) -> Bool { counts[job] == 0 }

    func count(of job: JobID) -> Int { counts[job] ?? 0 }

    mutating func forget(_ job: JobID) {
        total -= counts[job] ?? 0
        counts[job] = nil
    }
}
