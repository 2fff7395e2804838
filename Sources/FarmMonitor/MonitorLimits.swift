/// What one HTTP client may hold of the monitor, so that idle or slow connections cannot take the
/// coordinator's descriptors or memory: 1,000 idle connections once cut off its clients and
/// workers, and 40 unread clip responses took it to 1.8 GiB.
public struct MonitorLimits: Sendable, Equatable {
    /// Open connections at once; more are closed as they arrive.
    public var maxConnections: Int
    /// Seconds a connection may take to send a request's head (from opening, or from the previous
    /// response): a client that trickles its headers is cut off.
    public var headerTimeout: Double
    /// Seconds a connection may go with nothing read and nothing written (an idle keep-alive, or a
    /// client that stopped reading a response).
    public var idleTimeout: Double
    /// Bytes of a file response read and written at a time; the most a response holds in memory.
    public var chunkBytes: Int

    public init(maxConnections: Int = 128, headerTimeout: Double = 10, idleTimeout: Double = 30,
                chunkBytes: Int = 256 << 10) {
        self.maxConnections = maxConnections
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.chunkBytes = chunkBytes
    }

    public static let standard = MonitorLimits()
}
