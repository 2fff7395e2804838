/// How much of the spool failed jobs' rollouts may keep for `farmctl retry`. A failed job keeps its
/// rollout so its clips can be rendered again; kept forever, every failed job's rollout (up to
/// 64 GiB each) would fill the state directory's disk, by a client that submits jobs that fail or
/// just over months. Past `maxBytes` the oldest failed jobs' rollouts are dropped, and retrying one
/// of those says to submit it again.
public struct FailedRolloutRetention: Sendable, Equatable {
    public var maxBytes: Int

    public init(maxBytes: Int) { self.maxBytes = maxBytes }

    /// 64 GiB: one largest upload (`UploadLimits.maxUploadBytes`) still fits.
    public static let standard = FailedRolloutRetention(maxBytes: 64 << 30)

    /// The rollouts to drop, oldest first, so that the rest of `kept` (oldest first) fits.
    public func toDrop(_ kept: [(path: String, bytes: Int)]) -> [String] {
        var total = kept.reduce(0) { $0 + $1.bytes }
        var dropped: [String] = []
        for rollout in kept where total > maxBytes {
            dropped.append(rollout.path)
            total -= rollout.bytes
        }
        return dropped
    }
}
