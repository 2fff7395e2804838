/// Pending clips indexed by job, each job's in clip order, jobs in id order: dispatch takes from the
/// front without scanning every pending clip, and a job's clips are found without a filter.
struct PendingClips {
    private var byJob: [JobID: [Int]] = [:]
    /// Jobs with pending clips, ascending.
    private(set) var jobs: [JobID] = []

    var isEmpty: Bool { jobs.isEmpty }
    var count: Int { byJob.values.reduce(0) { $0 + $1.count } }

    /// Every pending clip in dispatch order.
    var all: [ClipKey] { jobs.flatMap { job in (byJob[job] ?? []).map { ClipKey(job: job, index: $0) } } }

    /// A job's pending clip indices, ascending.
    func indices(of job: JobID) -> [Int] { byJob[job] ?? [] }

    /// The job's indices are changed in place, not copied out and back: a new job's thousands of
    /// clips, inserted in order, take linear time, not quadratic.
    mutating func insert(_ key: ClipKey) {
        if byJob[key.job] == nil { jobs.insert(key.job, at: Self.insertionPoint(of: key.job, in: jobs)) }
        Self.insert(key.index, into: &byJob[key.job, default: []])
    }

    private static func insert(_ index: Int, into sorted: inout [Int]) {
        let at = insertionPoint(of: index, in: sorted)
        guard at == sorted.endIndex || sorted[at] != index else { return }
        sorted.insert(index, at: at)
    }

    mutating func remove(_ key: ClipKey) {
        guard var indices = byJob[key.job] else { return }
        let at = Self.insertionPoint(of: key.index, in: indices)
        guard at < indices.endIndex, indices[at] == key.index else { return }
        indices.remove(at: at)
        if indices.isEmpty {
            removeAll(of: key.job)
        } else {
            byJob[key.job] = indices
        }
    }

    /// Drops a job's pending clips, returning them in order.
    @discardableResult
    mutating func removeAll(of job: JobID) -> [ClipKey] {
        guard let indices = byJob.removeValue(forKey: job) else { return [] }
        jobs.removeAll { $0 == job }
        return indices.map { ClipKey(job: job, index: $0) }
    }

    /// The first position whose element is not less than `value` (binary search).
    private static func insertionPoint<T: Comparable>(of value: T, in sorted: [T]) -> Int {
        var (low, high) = (0, sorted.count)
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
