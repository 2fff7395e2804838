import Foundation

/// The JSON header of a rollout: timing, sizes, the scene's shapes and optional camera hints.
public struct RolloutHeader: Sendable, Equatable {
    /// The viewer settings the trainer's task used (`ViewerCfg`), when it recorded them.
    public struct Viewer: Sendable, Equatable {
        public var eye: Vec3
        public var lookat: Vec3
        /// `world`, `env`, `asset_root` or `asset_body`.
        public var originType: String
        /// The env whose origin or asset the view is relative to (`ViewerCfg.env_index`).
        public var envIndex: Int
        /// The asset of `asset_root`/`asset_body` (`ViewerCfg.asset_name`), one of the header's `assets`.
        public var assetName: String?
        /// The body of `asset_body` (`ViewerCfg.body_name`), one of that asset's `body_names`.
        public var bodyName: String?
        /// The viewer's vertical field of view in degrees (Isaac Lab's Newton visualizer derives it
        /// from `focal_length`); nil: the backend's own lens.
        public var verticalFOV: Double?
        /// A flat background in place of the backend's sky, sRGB 0...1 (the visualizer's
        /// `background_color`: Newton's viewer then clears to it and fogs towards it); nil: the sky.
        public var background: Vec3?
        /// The sky's colours at the zenith and the horizon, sRGB 0...1 (the Newton visualizer's
        /// `sky_upper_color`/`sky_lower_color`; distant shapes fog towards the lower one); nil: the backend's.
        public var skyUpper: Vec3?
        public var skyLower: Vec3?

        public init(eye: Vec3, lookat: Vec3, originType: String = "world", envIndex: Int = 0,
                    assetName: String? = nil, bodyName: String? = nil, verticalFOV: Double? = nil,
                    background: Vec3? = nil, skyUpper: Vec3? = nil, skyLower: Vec3? = nil) {
            self.eye = eye
            self.lookat = lookat
            self.originType = originType
            self.envIndex = envIndex
            self.assetName = assetName
            self.bodyName = bodyName
            self.verticalFOV = verticalFOV
            self.background = background
            self.skyUpper = skyUpper
            self.skyLower = skyLower
        }

        /// The colour fields of a viewer's JSON object, each sRGB 0...1.
        static var colorFields: [(key: String, path: WritableKeyPath<Viewer, Vec3?>)] {
            [("background_color", \.background), ("sky_upper_color", \.skyUpper), ("sky_lower_color", \.skyLower)]
        }

        public static let originTypes = ["world", "env", "asset_root", "asset_body"]
        /// Degrees a `vertical_fov` may take: a lens that forms an image.
        public static let verticalFOVRange = 1.0...179.0
    }

    public var stepDT: Double
    /// Env step index of the first body_q row.
    public var firstStep: Int
    public var steps: Int
    public var numBodies: Int
    public var numEnvs: Int
    public var envSpacing: Double
    public var viewer: Viewer?
    /// One camera per step, from a live viewer (the Newton visualizer); drives per-frame camera sync.
    public var cameraTrack: [CameraView]?
    public var shapes: [ShapeSpec]
    public var meshes: [MeshLocation]
    /// The scene's named assets and their bodies' rows per env (camera origins `asset_root`/`asset_body`).
    public var assets: [RolloutAsset]
    /// Each env's origin (Isaac Lab's `scene.env_origins`), when the trainer recorded them; otherwise
    /// `envOrigin(_:)` places envs on Isaac Lab's grid from `num_envs` and `env_spacing`.
    public var envOrigins: [Vec3]?

    public init(stepDT: Double, firstStep: Int = 0, steps: Int, numBodies: Int, numEnvs: Int,
                envSpacing: Double, viewer: Viewer? = nil, cameraTrack: [CameraView]? = nil,
                shapes: [ShapeSpec], meshes: [MeshLocation] = [], assets: [RolloutAsset] = [],
                envOrigins: [Vec3]? = nil) {
        self.stepDT = stepDT
        self.firstStep = firstStep
        self.steps = steps
        self.numBodies = numBodies
        self.numEnvs = numEnvs
        self.envSpacing = envSpacing
        self.viewer = viewer
        self.cameraTrack = cameraTrack
        self.shapes = shapes
        self.meshes = meshes
        self.assets = assets
        self.envOrigins = envOrigins
    }

    /// Env steps held by the body_q rows.
    public var stepRange: Range<Int> { firstStep..<(firstStep + steps) }
    public var bodyBytes: Int { steps * numBodies * RolloutFormat.bytesPerPose }
    /// Bytes of the blob section: up to the end of the furthest mesh blob.
    public var blobBytes: Int { meshes.map { max($0.verticesEnd, $0.indicesEnd) }.max() ?? 0 }
    /// Frames per second the clip plays at, `1/step_dt` (the env's `render_fps`).
    public var fps: Double { 1 / stepDT }

    /// The origin of env `index` (0..<numEnvs): the recorded `env_origins`, else Isaac Lab's grid.
    public func envOrigin(_ index: Int) -> Vec3 {
        envOrigins?[index] ?? EnvGrid.origin(index, numEnvs: numEnvs, spacing: envSpacing)
    }

    /// The asset named `name`, if the header lists it.
    public func asset(named name: String) -> RolloutAsset? { assets.first { $0.name == name } }
}

extension RolloutHeader {
    /// Parses and validates a header; every error names the offending field.
    public static func decode(_ data: Data) throws(RolloutError) -> RolloutHeader {
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse(data)
        } catch {
            throw .headerNotJSON(reason: "invalid JSON (\(error))")
        }
        guard case .object(let object) = parsed else { throw .headerNotJSON(reason: "top level is not an object") }
        let json = JSONFields(object, path: "")

        let version = try json.int("version")
        guard version == RolloutFormat.version else { throw .unsupportedVersion(version) }
        if json.has("up_axis") {
            let up = try json.string("up_axis")
            guard up.lowercased() == "z" else { throw .invalidValue(field: "up_axis", reason: "is \"\(up)\"; only \"z\" is supported") }
        }
        let stepDT = try json.double("step_dt")
        do { try FrameRate.check(stepDT: stepDT, field: "step_dt") } catch { throw .frameRate(error) }
        let firstStep = try json.int("first_step")
        try Self.require("first_step", firstStep, in: 0...RolloutFormat.maxSteps)
        let steps = try json.int("steps")
        try Self.require("steps", steps, in: 1...RolloutFormat.maxSteps)
        let numBodies = try json.int("num_bodies")
        try Self.require("num_bodies", numBodies, in: 0...RolloutFormat.maxBodies)
        let numEnvs = json.has("num_envs") ? try json.int("num_envs") : 1
        try Self.require("num_envs", numEnvs, in: 1...RolloutFormat.maxBodies)
        let (bodyBytes, overflow) = steps.multipliedReportingOverflow(by: numBodies * RolloutFormat.bytesPerPose)
        guard !overflow, bodyBytes <= RolloutFormat.maxSectionBytes else {
            throw .invalidValue(field: "steps × num_bodies", reason: "is \(steps) × \(numBodies) poses, more than "
                                + "\(RolloutFormat.maxSectionBytes) bytes of body_q")
        }
        let envSpacing = json.has("env_spacing") ? try json.double("env_spacing") : 0

        let meshes = json.has("meshes") ? try json.objects("meshes").map(Self.meshLocation) : []
        let shapes = try json.objects("shapes").map { (shape) throws(RolloutError) in
            try ShapeSpec(json: shape, numBodies: numBodies, meshCount: meshes.count)
        }

        var viewer: Viewer?
        if json.has("viewer") {
            let v = try json.object("viewer")
            let origin = v.has("origin_type") ? try v.string("origin_type") : "world"
            guard Viewer.originTypes.contains(origin) else {
                throw .invalidValue(field: v.field("origin_type"),
                                    reason: "is \"\(origin)\"; expected one of \(Viewer.originTypes.joined(separator: ", "))")
            }
            let envIndex = v.has("env_index") ? try v.int("env_index") : 0
            guard (0..<numEnvs).contains(envIndex) else {
                throw .invalidValue(field: v.field("env_index"), reason: "is \(envIndex); envs are 0..<\(numEnvs)")
            }
            var verticalFOV: Double?
            if v.has("vertical_fov") {
                let degrees = try v.double("vertical_fov")
                guard Viewer.verticalFOVRange.contains(degrees) else {
                    throw .invalidValue(field: v.field("vertical_fov"),
                                        reason: "is \(degrees)°; expected \(Viewer.verticalFOVRange.lowerBound)...\(Viewer.verticalFOVRange.upperBound) degrees")
                }
                verticalFOV = degrees
            }
            var parsed = Viewer(eye: try v.vec3("eye"), lookat: try v.vec3("lookat"), originType: origin, envIndex: envIndex,
                                assetName: v.has("asset_name") ? try v.string("asset_name") : nil,
                                bodyName: v.has("body_name") ? try v.string("body_name") : nil,
                                verticalFOV: verticalFOV)
            for (key, path) in Viewer.colorFields where v.has(key) {
                let color = try v.vec3(key)
                guard [color.x, color.y, color.z].allSatisfy({ (0...1).contains($0) }) else {
                    throw .invalidValue(field: v.field(key), reason: "is \(color.array); expected three sRGB components in 0...1")
                }
                parsed[keyPath: path] = color
            }
            viewer = parsed
        }

        var envOrigins: [Vec3]?
        if json.has("env_origins") {
            let origins = try json.vec3s("env_origins")
            guard origins.count == numEnvs else {
                throw .invalidValue(field: "env_origins",
                                    reason: "has \(origins.count) entries; expected one per env (num_envs \(numEnvs))")
            }
            envOrigins = origins
        }

        var assets: [RolloutAsset] = []
        if json.has("assets") {
            for entry in try json.objects("assets") {
                let asset = try RolloutAsset(json: entry, numBodies: numBodies, numEnvs: numEnvs)
                guard !assets.contains(where: { $0.name == asset.name }) else {
                    throw .invalidValue(field: entry.field("name"),
                                        reason: "repeats \"\(asset.name)\"; asset names must be unique")
                }
                assets.append(asset)
            }
        }

        var track: [CameraView]?
        if json.has("camera_track") {
            let entries = try json.objects("camera_track")
            guard entries.count == steps else {
                throw .invalidValue(field: "camera_track", reason: "has \(entries.count) entries; expected one per step (\(steps))")
            }
            track = try entries.map { (e) throws(RolloutError) in CameraView(eye: try e.vec3("eye"), lookat: try e.vec3("lookat")) }
        }

        return RolloutHeader(stepDT: stepDT, firstStep: firstStep, steps: steps, numBodies: numBodies,
                             numEnvs: numEnvs, envSpacing: envSpacing, viewer: viewer, cameraTrack: track,
                             shapes: shapes, meshes: meshes, assets: assets, envOrigins: envOrigins)
    }

    private static func require(_ field: String, _ value: Int, in range: ClosedRange<Int>) throws(RolloutError) {
        guard range.contains(value) else {
            throw .invalidValue(field: field, reason: "must be \(range.lowerBound)...\(range.upperBound), got \(value)")
        }
    }

    private static func meshLocation(_ m: JSONFields) throws(RolloutError) -> MeshLocation {
        let location = MeshLocation(verticesOffset: try m.int("vertices_offset"), vertexCount: try m.int("vertex_count"),
                                    indicesOffset: try m.int("indices_offset"), indexCount: try m.int("index_count"))
        // Offsets and sizes within 2^50 bytes keep `verticesEnd`/`indicesEnd` from overflowing.
        let maxBytes = RolloutFormat.maxSectionBytes
        guard location.verticesOffset <= maxBytes, location.indicesOffset <= maxBytes,
              location.vertexCount <= maxBytes / 12, location.indexCount <= maxBytes / 4 else {
            throw .meshOutOfRange(field: m.path, reason: "states an offset or count past \(maxBytes) bytes")
        }
        guard location.verticesOffset >= 0, location.indicesOffset >= 0 else {
            throw .meshOutOfRange(field: m.path, reason: "has a negative blob offset")
        }
        guard location.verticesOffset % 4 == 0, location.indicesOffset % 4 == 0 else {
            throw .meshOutOfRange(field: m.path, reason: "blob offsets must be multiples of 4")
        }
        guard location.vertexCount >= 3, location.indexCount >= 3, location.indexCount % 3 == 0 else {
            throw .meshOutOfRange(field: m.path, reason: "needs at least one triangle (index_count a multiple of 3)")
        }
        return location
    }

    /// The header as canonical JSON (sorted keys), the way writers put it in the file.
    public func encoded() -> Data {
        var object: [String: Any] = [
            "version": RolloutFormat.version, "up_axis": "z", "step_dt": stepDT, "first_step": firstStep,
            "steps": steps, "num_bodies": numBodies, "num_envs": numEnvs, "env_spacing": envSpacing,
            "shapes": shapes.map(\.json),
        ]
        if let viewer {
            var fields: [String: Any] = ["eye": viewer.eye.array, "lookat": viewer.lookat.array,
                                         "origin_type": viewer.originType]
            // Defaults stay out, so a header without them encodes to the bytes it always had.
            if viewer.envIndex != 0 { fields["env_index"] = viewer.envIndex }
            if let assetName = viewer.assetName { fields["asset_name"] = assetName }
            if let bodyName = viewer.bodyName { fields["body_name"] = bodyName }
            if let verticalFOV = viewer.verticalFOV { fields["vertical_fov"] = verticalFOV }
            for (key, path) in Viewer.colorFields {
                if let color = viewer[keyPath: path] { fields[key] = color.array }
            }
            object["viewer"] = fields
        }
        if !assets.isEmpty { object["assets"] = assets.map(\.json) }
        if let envOrigins { object["env_origins"] = envOrigins.map(\.array) }
        if let cameraTrack {
            object["camera_track"] = cameraTrack.map { ["eye": $0.eye.array, "lookat": $0.lookat.array] }
        }
        if !meshes.isEmpty {
            object["meshes"] = meshes.map {
                ["vertices_offset": $0.verticesOffset, "vertex_count": $0.vertexCount,
                 "indices_offset": $0.indicesOffset, "index_count": $0.indexCount]
            }
        }
        // Sorted keys make the bytes deterministic; the contents are finite numbers and strings only.
        return try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    /// The header of a sub-range of steps, as a worker receives it with just its clip's rows.
    public func slice(steps range: Range<Int>) -> RolloutHeader {
        var sliced = self
        sliced.firstStep = range.lowerBound
        sliced.steps = range.count
        if let track = cameraTrack {
            let start = range.lowerBound - firstStep
            sliced.cameraTrack = Array(track[start..<(start + range.count)])
        }
        return sliced
    }
}

extension Vec3 {
    var array: [Double] { [x, y, z] }
}
