import Foundation
import Testing
@testable import FarmCore

/// Two envs of four bodies: a three-body `robot` listed env by env, and a one-body `ball` by stride.
private func assetHeader(envOrigins: [Vec3]? = [Vec3(1, 2, 0), Vec3(3, 4, 0.5)]) -> RolloutHeader {
    RolloutHeader(
        stepDT: 1.0 / 60, firstStep: 5, steps: 6, numBodies: 8, numEnvs: 2, envSpacing: 2,
        viewer: .init(eye: Vec3(-3, 0, 2), lookat: Vec3(0, 0, 0), originType: "asset_body", envIndex: 1,
                      assetName: "robot", bodyName: "foot"),
        shapes: [ShapeSpec(geometry: .plane(width: 0, length: 0), body: -1)],
        assets: [
            RolloutAsset(name: "robot", bodyNames: ["torso", "thigh", "foot"], rows: .perEnv([[0, 1, 2], [4, 5, 6]])),
            RolloutAsset(name: "ball", bodyNames: ["ball"], rows: .strided(env0: [3], stride: 4)),
        ],
        envOrigins: envOrigins)
}

private func decode(_ object: [String: Any]) throws(RolloutError) -> RolloutHeader {
    try RolloutHeader.decode(try! JSONSerialization.data(withJSONObject: object))
}

private func editedHeader(_ edit: (inout [String: Any]) -> Void) -> [String: Any] {
    var object = try! JSONSerialization.jsonObject(with: assetHeader().encoded()) as! [String: Any]
    edit(&object)
    return object
}

@Test func assetsEnvOriginsAndViewerFieldsRoundTrip() throws {
    let header = assetHeader()
    #expect(try RolloutHeader.decode(header.encoded()) == header)
    let sliced = header.slice(steps: 7..<9)
    #expect(try RolloutHeader.decode(sliced.encoded()) == sliced)
    #expect(sliced.assets == header.assets && sliced.envOrigins == header.envOrigins && sliced.viewer == header.viewer)
}

@Test func theNewFieldsUseTheDocumentedNames() throws {
    let object = try JSONSerialization.jsonObject(with: assetHeader().encoded()) as! [String: Any]
    let assets = object["assets"] as! [[String: Any]]
    #expect(assets[0]["name"] as? String == "robot" && assets[0]["body_names"] as? [String] == ["torso", "thigh", "foot"])
    #expect(assets[0]["env_bodies"] as? [[Int]] == [[0, 1, 2], [4, 5, 6]] && assets[0]["env_stride"] == nil)
    #expect(assets[1]["env_bodies"] as? [[Int]] == [[3]] && assets[1]["env_stride"] as? Int == 4)
    #expect(object["env_origins"] as? [[Double]] == [[1, 2, 0], [3, 4, 0.5]])
    let viewer = object["viewer"] as! [String: Any]
    #expect(viewer["env_index"] as? Int == 1 && viewer["asset_name"] as? String == "robot"
            && viewer["body_name"] as? String == "foot")
}

@Test func aHeaderWithoutTheNewFieldsEncodesWithoutThem() throws {
    var header = assetHeader(envOrigins: nil)
    header.assets = []
    header.viewer = .init(eye: Vec3(1, 1, 1), lookat: Vec3(0, 0, 0))
    let object = try JSONSerialization.jsonObject(with: header.encoded()) as! [String: Any]
    #expect(object["assets"] == nil && object["env_origins"] == nil)
    #expect(Set((object["viewer"] as! [String: Any]).keys) == ["eye", "lookat", "origin_type"])
}

@Test func assetRowsPerEnvAndByStride() {
    let header = assetHeader()
    let robot = header.asset(named: "robot")!, ball = header.asset(named: "ball")!
    #expect(robot.envCount(numEnvs: 2) == 2 && ball.envCount(numEnvs: 2) == 2)
    let rows: [Int] = [robot.row(env: 0, body: 0), robot.row(env: 1, body: 2), ball.row(env: 0, body: 0),
                       ball.row(env: 1, body: 0)]
    #expect(rows == [0, 6, 3, 7])
    #expect(header.asset(named: "dog") == nil)
}

@Test func envOriginsAreRecordedOrIsaacLabsGrid() {
    #expect(assetHeader().envOrigin(1) == Vec3(3, 4, 0.5))
    let grid = assetHeader(envOrigins: nil)
    // Two envs at spacing 2: two rows (ceil(2 / int(sqrt 2))) of one column, along -X, centred.
    #expect(grid.envOrigin(0) == Vec3(1, 0, 0) && grid.envOrigin(1) == Vec3(-1, 0, 0))
    let origins = EnvGrid.origins(numEnvs: 4096, spacing: 4)
    #expect((0..<4096).allSatisfy { EnvGrid.origin($0, numEnvs: 4096, spacing: 4) == Vec3(origins[$0].x, origins[$0].y, 0) })
}

@Test func fourThousandEnvsOfTwentyBodiesDecodeInEitherForm() throws {
    let (envs, bodies) = (4096, 20)
    let names = (0..<bodies).map { "link\($0)" }
    var header = assetHeader(envOrigins: nil)
    header.numEnvs = envs
    header.numBodies = envs * bodies
    header.viewer = nil
    header.assets = [RolloutAsset(name: "robot", bodyNames: names,
                                  rows: .perEnv((0..<envs).map { e in (0..<bodies).map { e * bodies + $0 } }))]
    let listed = try RolloutHeader.decode(header.encoded())
    header.assets = [RolloutAsset(name: "robot", bodyNames: names, rows: .strided(env0: Array(0..<bodies), stride: bodies))]
    let strided = try RolloutHeader.decode(header.encoded())
    #expect((0..<envs).allSatisfy { e in
        (0..<bodies).allSatisfy { listed.assets[0].row(env: e, body: $0) == strided.assets[0].row(env: e, body: $0) }
    })
    #expect(strided.encoded().count < 2_000)
}

/// A header edit and the error it must produce.
struct AssetMalformation: CustomTestStringConvertible, Sendable {
    let name: String
    let edit: @Sendable (inout [String: Any]) -> Void
    let expected: RolloutError
    var testDescription: String { name }

    static func asset(_ index: Int, _ name: String, _ expected: RolloutError,
                      _ edit: @escaping @Sendable (inout [String: Any]) -> Void) -> AssetMalformation {
        AssetMalformation(name: name, edit: { object in
            var assets = object["assets"] as! [[String: Any]]
            edit(&assets[index])
            object["assets"] = assets
        }, expected: expected)
    }

    static let all: [AssetMalformation] = [
        AssetMalformation(name: "assets not an array", edit: { $0["assets"] = ["robot": 1] },
                          expected: .wrongType(field: "assets", expected: "an array")),
        .asset(0, "no name", .missingField("assets[0].name")) { $0["name"] = nil },
        .asset(0, "empty name", .invalidValue(field: "assets[0].name", reason: "must not be empty")) { $0["name"] = "" },
        .asset(0, "no bodies", .invalidValue(field: "assets[0].body_names", reason: "must name at least the root body")) {
            $0["body_names"] = [String]()
        },
        .asset(0, "a body name not a string", .wrongType(field: "assets[0].body_names[1]", expected: "a string")) {
            $0["body_names"] = ["torso", 7, "foot"]
        },
        .asset(0, "repeated body name", .invalidValue(field: "assets[0].body_names[2]",
                                                      reason: "repeats \"torso\"; body names within an asset must be unique")) {
            $0["body_names"] = ["torso", "thigh", "torso"]
        },
        .asset(0, "env rows of the wrong length", .invalidValue(field: "assets[0].env_bodies[1]",
                                                                reason: "has 2 rows; body_names has 3")) {
            $0["env_bodies"] = [[0, 1, 2], [4, 5]]
        },
        .asset(0, "row past the bodies", .invalidValue(field: "assets[0].env_bodies[1][2]",
                                                       reason: "is 8; body_q rows are 0..<8")) {
            $0["env_bodies"] = [[0, 1, 2], [4, 5, 8]]
        },
        .asset(0, "negative row", .invalidValue(field: "assets[0].env_bodies[0][0]", reason: "is -1; body_q rows are 0..<8")) {
            $0["env_bodies"] = [[-1, 1, 2]]
        },
        .asset(0, "fractional row", .wrongType(field: "assets[0].env_bodies[0][1]", expected: "an integer")) {
            $0["env_bodies"] = [[0, 1.5, 2]]
        },
        .asset(0, "env rows not an array", .wrongType(field: "assets[0].env_bodies[0]", expected: "an array of integers")) {
            $0["env_bodies"] = [3]
        },
        .asset(0, "no env rows", .invalidValue(field: "assets[0].env_bodies", reason: "must hold the rows of at least env 0")) {
            $0["env_bodies"] = [[Int]]()
        },
        .asset(0, "more envs than num_envs", .invalidValue(field: "assets[0].env_bodies",
                                                           reason: "holds 3 envs; the rollout has num_envs 2")) {
            $0["env_bodies"] = [[0, 1, 2], [4, 5, 6], [4, 5, 6]]
        },
        .asset(1, "repeated asset name", .invalidValue(field: "assets[1].name",
                                                       reason: "repeats \"robot\"; asset names must be unique")) {
            $0["name"] = "robot"
        },
        .asset(1, "stride with every env listed", .invalidValue(field: "assets[1].env_bodies",
                                                                reason: "holds 2 envs; with env_stride it holds env 0's rows only")) {
            $0["env_bodies"] = [[3], [7]]
        },
        .asset(1, "stride past the bodies", .invalidValue(field: "assets[1].env_stride",
                                                          reason: "is 5: body 0 of env 1 would be row 8, past the 8 bodies")) {
            $0["env_stride"] = 5
        },
        .asset(1, "zero stride", .invalidValue(field: "assets[1].env_stride", reason: "must be 1...16777216, got 0")) {
            $0["env_stride"] = 0
        },
        AssetMalformation(name: "env origins not one per env", edit: { $0["env_origins"] = [[0, 0, 0]] },
                          expected: .invalidValue(field: "env_origins", reason: "has 1 entries; expected one per env (num_envs 2)")),
        AssetMalformation(name: "env origin not three numbers", edit: { $0["env_origins"] = [[0, 0, 0], [1, 2]] },
                          expected: .wrongType(field: "env_origins[1]", expected: "an array of 3 finite numbers")),
        AssetMalformation(name: "viewer env_index past num_envs", edit: { object in
            var viewer = object["viewer"] as! [String: Any]
            viewer["env_index"] = 2
            object["viewer"] = viewer
        }, expected: .invalidValue(field: "viewer.env_index", reason: "is 2; envs are 0..<2")),
        AssetMalformation(name: "viewer asset_name not a string", edit: { object in
            var viewer = object["viewer"] as! [String: Any]
            viewer["asset_name"] = 3
            object["viewer"] = viewer
        }, expected: .wrongType(field: "viewer.asset_name", expected: "a string")),
    ]
}

@Test(arguments: AssetMalformation.all)
func malformedAssetsAreRefusedNamingTheField(_ malformation: AssetMalformation) {
    let object = editedHeader(malformation.edit)
    #expect(throws: malformation.expected) { try decode(object) }
}

@Test func theViewersLensAndBackgroundRoundTrip() throws {
    var header = assetHeader()
    header.viewer?.verticalFOV = 64.98
    header.viewer?.background = Vec3(0.3, 0.55, 0.82)
    #expect(try RolloutHeader.decode(header.encoded()) == header)
    let viewer = (try JSONSerialization.jsonObject(with: header.encoded()) as! [String: Any])["viewer"] as! [String: Any]
    #expect(viewer["vertical_fov"] as? Double == 64.98 && viewer["background_color"] as? [Double] == [0.3, 0.55, 0.82])
}

/// Each case: the viewer field and its value as JSON text.
@Test(arguments: [
    ("vertical_fov", "0.5"), ("vertical_fov", "180"), ("vertical_fov", "\"wide\""),
    ("background_color", "[0.3, 1.2, 0.5]"), ("background_color", "[0.3, 0.5]"),
])
func aViewerLensOrBackgroundThatCannotFilmIsRefusedByName(key: String, json: String) {
    let value = try! JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed)
    let object = editedHeader { object in
        var viewer = object["viewer"] as! [String: Any]
        viewer[key] = value
        object["viewer"] = viewer
    }
    #expect {
        try decode(object)
    } throws: { error in
        "\(error)".contains("viewer.\(key)")
    }
}
