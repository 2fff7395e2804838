/// What chunked rollout uploads may hold in the spool at once, so that clients that begin uploads
/// and never finish them cannot fill the disk or keep the coordinator's memory growing. No
/// descriptor is held between chunks, so uploads cost no descriptors at all while they wait.
public struct UploadLimits: Sendable, Equatable {
    /// `total_bytes` of one upload: 64 GiB, far above a long run's rollout (4096 envs × 20 bodies ×
    /// 10,000 steps of body_q is 23 GB).
    public var maxUploadBytes: Int
    /// Unfinished uploads one client (its CURVE key, else its connection) may have at once.
    public var maxUploadsPerClient: Int
    /// `total_bytes` of every unfinished upload together, reserved when each begins.
    public var maxSpoolBytes: Int
    /// Seconds after its last chunk (or its begin) an unfinished upload is dropped and its file deleted.
    public var idleExpiry: Double
    /// Bytes kept free on the state directory's filesystem (`DiskReserve`): 256 MiB, room for the
    /// database's writes and its write-ahead log between checks.
    public var keepFreeBytes: Int

    public init(maxUploadBytes: Int = 64 << 30, maxUploadsPerClient: Int = 4, maxSpoolBytes: Int = 256 << 30,
                idleExpiry: Double = 600, keepFreeBytes: Int = 256 << 20) {
        self.maxUploadBytes = maxUploadBytes
        self.maxUploadsPerClient = maxUploadsPerClient
        self.maxSpoolBytes = maxSpoolBytes
        self.idleExpiry = idleExpiry
        self.keepFreeBytes = keepFreeBytes
    }

    public static let standard = UploadLimits()
}
