/// Reads `configs/farm.yaml`; every key is optional and falls back to `FarmSettings.builtIn`.
enum FarmSettingsFile {
    static func parse(_ text: String, file: String) throws(ConfigError) -> FarmSettings {
        let root = try YAMLValue.parse(text, file: file)
        let fields = try root.mapping(allowedKeys: [
            "worker_endpoint", "client_endpoint", "state_dir", "logs_root", "heartbeat_interval_s",
            "heartbeat_liveness", "reconnect_initial_s", "reconnect_max_s", "max_retries",
            "poison_after_lost_workers", "max_connections_per_address",
            "heartbeat_log_max_bytes", "heartbeat_log_keep", "metrics_address",
            "coordinator_key_file", "worker_allow_list", "client_allow_list", "operator_allow_list",
            "coordinator_key", "worker_key_file", "client_key_file",
        ])
        var settings = FarmSettings.builtIn
        if let value = fields["worker_endpoint"] { settings.workerEndpoint = try value.string() }
        if let value = fields["client_endpoint"] { settings.clientEndpoint = try value.string() }
        if let value = fields["state_dir"] { settings.stateDirectory = try value.string() }
        if let value = fields["logs_root"] { settings.logsRoot = try value.string() }
        if let value = fields["heartbeat_interval_s"] { settings.heartbeatInterval = try value.double() }
        if let value = fields["heartbeat_liveness"] { settings.heartbeatLiveness = try value.int() }
        if let value = fields["reconnect_initial_s"] { settings.reconnectInitial = try value.double() }
        if let value = fields["reconnect_max_s"] { settings.reconnectMax = try value.double() }
        if let value = fields["max_retries"] { settings.maxRetries = try value.int() }
        if let value = fields["poison_after_lost_workers"] { settings.poisonAfterLostWorkers = try value.int() }
        if let value = fields["max_connections_per_address"] { settings.maxConnectionsPerAddress = try value.int() }
        if let value = fields["heartbeat_log_max_bytes"] { settings.heartbeatLogMaxBytes = try value.int() }
        if let value = fields["heartbeat_log_keep"] { settings.heartbeatLogKeep = try value.int() }
        if let value = fields["coordinator_key_file"] { settings.coordinatorKeyFile = try value.string() }
        if let value = fields["worker_allow_list"] { settings.workerAllowList = try value.string() }
        if let value = fields["client_allow_list"] { settings.clientAllowList = try value.string() }
        if let value = fields["operator_allow_list"] { settings.operatorAllowList = try value.string() }
        if let value = fields["coordinator_key"] { settings.coordinatorKey = try value.string() }
        if let value = fields["worker_key_file"] { settings.workerKeyFile = try value.string() }
        if let value = fields["client_key_file"] { settings.clientKeyFile = try value.string() }
        if let value = fields["metrics_address"] { settings.metricsAddress = try value.string() }
        if let (key, reason) = settings.problem {
            throw (fields[key] ?? root).fail("\(key) \(reason)")
        }
        return settings
    }
}
