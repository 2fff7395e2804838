/// Refusals logged once per run: the first of a run of refusals under one key is logged, and the
/// next acceptance under it says how many the run held, so a flood writes two lines, not one per
/// attempt. At most `capacity` keys are remembered; refusals under others go unlogged.
struct RefusalEpisodes: Sendable, Equatable {
    let capacity: Int
    private var counts: [String: Int] = [:]

    init(capacity: Int) { self.capacity = capacity }

    /// Records a refusal under `key`; true when it starts a run (log it).
    mutating func refused(_ key: String) -> Bool {
        if let count = counts[key] {
            counts[key] = count + 1
            return false
        }
        guard counts.count < capacity else { return false }
        counts[key] = 1
        return true
    }

    /// Records an acceptance under `key`; the refusals of the run it ends, if any.
    mutating func accepted(_ key: String) -> Int? { counts.removeValue(forKey: key) }
}
