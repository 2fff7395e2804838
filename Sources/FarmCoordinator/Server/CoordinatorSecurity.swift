import FarmWire

/// CURVE security for the coordinator's two sockets, the ZeroMQ guide's Ironhouse pattern: the
/// coordinator proves itself with its key pair, and each peer must present a public key listed for
/// the socket it connects to: worker keys on the worker socket, client or operator keys on the
/// client socket. Operator keys may also cancel jobs other keys submitted.
public struct CoordinatorSecurity: Sendable {
    public var keys: CurveKeyPair
    public var workers: AllowList
    public var clients: AllowList
    public var operators: AllowList?

    public init(keys: CurveKeyPair, workers: AllowList, clients: AllowList, operators: AllowList? = nil) {
        self.keys = keys
        self.workers = workers
        self.clients = clients
        self.operators = operators
    }

    /// Reads the coordinator's key pair file and the allow lists.
    public init(keyFile: String, workerAllowList: String, clientAllowList: String,
                operatorAllowList: String?) throws(CurveKeyError) {
        try self.init(keys: CurveKeyFile.readKeyPair(at: keyFile), workers: AllowList(path: workerAllowList),
                      clients: AllowList(path: clientAllowList), operators: operatorAllowList.map(AllowList.init))
    }

    /// ZAP domains of the two sockets.
    public static let workerDomain = "farm.workers"
    public static let clientDomain = "farm.clients"

    /// Why `key` may not join `domain`, or nil when it may.
    func refusal(domain: String, key: String) -> String? {
        switch domain {
        case Self.workerDomain:
            if workers.contains(key) { return nil }
            return "key \(key) is not in the worker allow list \(workers.path)\(Self.note(workers))"
        case Self.clientDomain:
            if clients.contains(key) || operators?.contains(key) == true { return nil }
            return "key \(key) is not in the client allow list \(clients.path)"
                + (operators.map { " or the operator allow list \($0.path)" } ?? "") + Self.note(clients)
        default:
            return "unknown ZAP domain \(domain)"
        }
    }

    func isOperator(_ key: String?) -> Bool {
        guard let key, let operators else { return false }
        return operators.contains(key)
    }

    private static func note(_ list: AllowList) -> String {
        list.problem.map { " (which cannot be read now: \($0))" } ?? ""
    }
}
