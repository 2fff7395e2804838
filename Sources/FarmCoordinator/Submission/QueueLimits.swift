/// What the farm holds at once, so that no client (or all of them) can grow the coordinator's
/// memory and state without bound by submitting faster than the farm renders: each open clip (not
/// yet done, failed or cancelled) is held in memory and in the state database until its job settles.
/// A SUBMIT that would pass a limit is refused (`queue_full`) before anything is made.
public struct QueueLimits: Sendable, Equatable {
    /// Open clips of all jobs together: a million is about 60 max-size jobs, or days of a large farm's work.
    public var maxOpenClips: Int
    /// Open clips of the jobs one client key submitted (an authenticated farm; an open farm has
    /// only the total): ten of the largest jobs.
    public var maxOpenClipsPerClient: Int

    public init(maxOpenClips: Int = 1_000_000, maxOpenClipsPerClient: Int = 200_000) {
        self.maxOpenClips = maxOpenClips
        self.maxOpenClipsPerClient = maxOpenClipsPerClient
    }

    public static let standard = QueueLimits()

    /// Why `adding` more open clips cannot be taken (nil when they can), given those open now in
    /// all (`open`) and of this client's key (`openOfClient`, nil on an open farm).
    public func refusal(adding clips: Int, open: Int, openOfClient: Int?) -> String? {
        if open + clips > maxOpenClips {
            return "the farm holds \(open) open clip(s) and this job has \(clips); it takes at most \(maxOpenClips) "
                + "at once: submit again when some finish"
        }
        if let openOfClient, openOfClient + clips > maxOpenClipsPerClient {
            return "this client key's jobs hold \(openOfClient) open clip(s) and this job has \(clips); one key may "
                + "hold at most \(maxOpenClipsPerClient) at once: submit again when some finish, or cancel some"
        }
        return nil
    }
}
