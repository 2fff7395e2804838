/// The scheduler's clips by key, with each job's `ClipTally` kept as they are set, so a job's
/// record costs the loop its tally and a page of clips, not a pass over all of them: STATUS lists
/// up to 100 jobs, and a job may have 20,000 clips.
struct ClipTable {
    private var clips: [ClipKey: TrackedClip] = [:]
    private var tallies: [JobID: ClipTally] = [:]

    subscript(key: ClipKey) -> TrackedClip? {
        get { clips[key] }
        set {
            let old = newValue.map { clips.updateValue($0, forKey: key) } ?? clips.removeValue(forKey: key)
            guard old != nil || newValue != nil else { return }
            // Taken out and put back, so the tally's sets are changed in place, not copied.
            var tally = tallies.removeValue(forKey: key.job) ?? ClipTally()
            if let old { tally.remove(old) }
            if let newValue { tally.add(newValue) }
            if tally.total > 0 { tallies[key.job] = tally }
        }
    }

    var values: Dictionary<ClipKey, TrackedClip>.Values { clips.values }

    var count: Int { clips.count }

    mutating func reserveCapacity(_ count: Int) { clips.reserveCapacity(count) }

    /// The job's clips counted (empty for a job with none here).
    func tally(of job: JobID) -> ClipTally { tallies[job] ?? ClipTally() }
}
