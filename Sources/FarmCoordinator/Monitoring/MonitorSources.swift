/// Where the HTTP side reads what the snapshot leaves out: the store (its own reader connection;
/// SQLite's WAL lets it read while the loop writes), the heartbeat log and the filed clips.
public struct MonitorSources: Sendable {
    public var store: CoordinatorStore
    public var stateDirectory: String
    public var logsRoot: String
    public var heartbeatLogPath: String

    public init(store: CoordinatorStore, stateDirectory: String, logsRoot: String, heartbeatLogPath: String) {
        self.store = store
        self.stateDirectory = stateDirectory
        self.logsRoot = logsRoot
        self.heartbeatLogPath = heartbeatLogPath
    }
}
