/// A named asset of the scene (Isaac Lab's articulation or rigid object, `scene["robot"]`): its bodies'
/// names and, for each env, the body_q rows holding them. The first body is the asset's root
/// (`root_pos_w`); a camera origin of `asset_root` or `asset_body` names an asset, a body and an env.
public struct RolloutAsset: Sendable, Equatable {
    /// Where the asset's bodies sit in each body_q row.
    public enum BodyRows: Sendable, Equatable {
        /// `rows[e][k]`: the row of body k in env e, for envs 0..<rows.count.
        case perEnv([[Int]])
        /// Env 0's rows; env e's are env 0's plus `e × stride`, for every env of the rollout. The compact
        /// form for replicated scenes: 4096 envs × 20 bodies take 20 numbers instead of 81920.
        case strided(env0: [Int], stride: Int)
    }

    public var name: String
    public var bodyNames: [String]
    public var rows: BodyRows

    public init(name: String, bodyNames: [String], rows: BodyRows) {
        self.name = name
        self.bodyNames = bodyNames
        self.rows = rows
    }

    /// Envs the asset has rows for, in a rollout of `numEnvs` envs.
    public func envCount(numEnvs: Int) -> Int {
        switch rows {
        case .perEnv(let rows): rows.count
        case .strided: numEnvs
        }
    }

    /// The body_q row of body `body` (0 = root) in env `env`; both must be in range (validated on decode).
    public func row(env: Int, body: Int) -> Int {
        switch rows {
        case .perEnv(let rows): rows[env][body]
        case .strided(let env0, let stride): env0[body] + env * stride
        }
    }
}

extension RolloutAsset {
    /// Parses one `assets[i]` entry; every index is checked against `numBodies` and `numEnvs`.
    init(json: JSONFields, numBodies: Int, numEnvs: Int) throws(RolloutError) {
        let name = try json.string("name")
        guard !name.isEmpty else { throw .invalidValue(field: json.field("name"), reason: "must not be empty") }
        let bodyNames = try Self.strings(json, "body_names")
        guard !bodyNames.isEmpty else {
            throw .invalidValue(field: json.field("body_names"), reason: "must name at least the root body")
        }
        var seen: Set<String> = []
        for (k, body) in bodyNames.enumerated() where !seen.insert(body).inserted {
            throw .invalidValue(field: "\(json.field("body_names"))[\(k)]",
                                reason: "repeats \"\(body)\"; body names within an asset must be unique")
        }
        let envBodies = try Self.intRows(json, "env_bodies", width: bodyNames.count)
        guard !envBodies.isEmpty else {
            throw .invalidValue(field: json.field("env_bodies"), reason: "must hold the rows of at least env 0")
        }
        let rows: BodyRows
        if json.has("env_stride") {
            let stride = try json.int("env_stride")
            guard (1...RolloutFormat.maxBodies).contains(stride) else {
                throw .invalidValue(field: json.field("env_stride"),
                                    reason: "must be 1...\(RolloutFormat.maxBodies), got \(stride)")
            }
            guard envBodies.count == 1 else {
                throw .invalidValue(field: json.field("env_bodies"), reason: "holds \(envBodies.count) envs; with "
                                    + "env_stride it holds env 0's rows only")
            }
            try Self.requireRows(envBodies[0], field: "\(json.field("env_bodies"))[0]", numBodies: numBodies)
            // The last env's rows are env 0's plus (numEnvs - 1) × stride; both factors are at most 2^24.
            let last = envBodies[0].map { $0 + (numEnvs - 1) * stride }
            if let (k, row) = last.enumerated().first(where: { $0.element >= numBodies }) {
                throw .invalidValue(field: json.field("env_stride"), reason: "is \(stride): body \(k) of env "
                                    + "\(numEnvs - 1) would be row \(row), past the \(numBodies) bodies")
            }
            rows = .strided(env0: envBodies[0], stride: stride)
        } else {
            guard envBodies.count <= numEnvs else {
                throw .invalidValue(field: json.field("env_bodies"),
                                    reason: "holds \(envBodies.count) envs; the rollout has num_envs \(numEnvs)")
            }
            for (e, envRows) in envBodies.enumerated() {
                try Self.requireRows(envRows, field: "\(json.field("env_bodies"))[\(e)]", numBodies: numBodies)
            }
            rows = .perEnv(envBodies)
        }
        self.init(name: name, bodyNames: bodyNames, rows: rows)
    }

    var json: [String: Any] {
        switch rows {
        case .perEnv(let rows):
            ["name": name, "body_names": bodyNames, "env_bodies": rows]
        case .strided(let env0, let stride):
            ["name": name, "body_names": bodyNames, "env_bodies": [env0], "env_stride": stride]
        }
    }

    private static func requireRows(_ rows: [Int], field: String, numBodies: Int) throws(RolloutError) {
        if let (k, row) = rows.enumerated().first(where: { !(0..<numBodies).contains($0.element) }) {
            throw .invalidValue(field: "\(field)[\(k)]", reason: "is \(row); body_q rows are 0..<\(numBodies)")
        }
    }

    private static func strings(_ json: JSONFields, _ key: String) throws(RolloutError) -> [String] {
        var result: [String] = []
        for (i, element) in try json.array(key).enumerated() {
            guard case .string(let string) = element else {
                throw .wrongType(field: "\(json.field(key))[\(i)]", expected: "a string")
            }
            result.append(string)
        }
        return result
    }

    /// An array of integer arrays, each `width` long.
    private static func intRows(_ json: JSONFields, _ key: String, width: Int) throws(RolloutError) -> [[Int]] {
        let array = try json.array(key)
        var result: [[Int]] = []
        result.reserveCapacity(array.count)
        for (e, element) in array.enumerated() {
            let field = "\(json.field(key))[\(e)]"
            guard case .array(let entries) = element else { throw .wrongType(field: field, expected: "an array of integers") }
            guard entries.count == width else {
                throw .invalidValue(field: field, reason: "has \(entries.count) rows; body_names has \(width)")
            }
            var rows: [Int] = []
            rows.reserveCapacity(width)
            for (k, value) in entries.enumerated() {
                guard let row = JSONFields.integer(value) else {
                    throw .wrongType(field: "\(field)[\(k)]", expected: "an integer")
                }
                rows.append(row)
            }
            result.append(rows)
        }
        return result
    }
}
