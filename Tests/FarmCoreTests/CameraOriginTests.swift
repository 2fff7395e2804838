import Foundation
import Testing
@testable import FarmCore

/// Two envs of four bodies: `robot` (torso, thigh, foot) listed env by env, `ball` by stride.
func originScene(assets: Bool = true, envOrigins: [Vec3]? = [Vec3(1, 2, 0), Vec3(3, 4, 0)]) -> RolloutHeader {
    RolloutHeader(
        stepDT: 1.0 / 60, steps: 3, numBodies: 8, numEnvs: 2, envSpacing: 2,
        shapes: [ShapeSpec(geometry: .plane(width: 0, length: 0), body: -1)],
        assets: assets ? [
            RolloutAsset(name: "robot", bodyNames: ["torso", "thigh", "foot"], rows: .perEnv([[0, 1, 2], [4, 5, 6]])),
            RolloutAsset(name: "ball", bodyNames: ["ball"], rows: .strided(env0: [3], stride: 4)),
            RolloutAsset(name: "flag", bodyNames: ["pole"], rows: .perEnv([[7]])),
        ] : [],
        envOrigins: envOrigins)
}

struct OriginCase: CustomTestStringConvertible, Sendable {
    let name: String
    let origin: CameraOrigin
    let header: RolloutHeader
    /// The anchor, or the text the error must contain.
    let expected: Result<CameraAnchor, Failure>
    var testDescription: String { name }

    struct Failure: Error, Equatable { let text: String }

    init(_ name: String, _ origin: CameraOrigin, in header: RolloutHeader = originScene(), _ anchor: CameraAnchor) {
        self.name = name
        self.origin = origin
        self.header = header
        expected = .success(anchor)
    }

    init(_ name: String, _ origin: CameraOrigin, in header: RolloutHeader = originScene(), fails text: String) {
        self.name = name
        self.origin = origin
        self.header = header
        expected = .failure(Failure(text: text))
    }

    static let all: [OriginCase] = [
        .init("world", .world, .world),
        .init("world ignores a missing asset", CameraOrigin(type: .world, assetName: "dog"), .world),
        .init("env origin as recorded", CameraOrigin(type: .env, envIndex: 1), .point(Vec3(3, 4, 0))),
        .init("env origin on the grid", CameraOrigin(type: .env, envIndex: 1), in: originScene(envOrigins: nil),
              .point(Vec3(-1, 0, 0))),
        .init("asset root of env 0", CameraOrigin(type: .assetRoot, assetName: "robot"), .body(0)),
        .init("asset root of env 1", CameraOrigin(type: .assetRoot, envIndex: 1, assetName: "robot"), .body(4)),
        .init("asset body by name", CameraOrigin(type: .assetBody, envIndex: 1, assetName: "robot", body: .name("foot")),
              .body(6)),
        .init("asset body by a regular expression, first match", CameraOrigin(type: .assetBody, envIndex: 1,
              assetName: "robot", body: .name("t.*")), .body(4)),
        .init("a regular expression must match the whole name", CameraOrigin(type: .assetBody, assetName: "robot",
              body: .name("oo")), fails: "body_name \"oo\" is not a body of asset \"robot\""),
        .init("an invalid regular expression matches nothing", CameraOrigin(type: .assetBody, assetName: "robot",
              body: .name("(foot")), fails: "body_name \"(foot\" is not a body of asset \"robot\""),
        .init("asset body by index", CameraOrigin(type: .assetBody, assetName: "robot", body: .index(1)), .body(1)),
        .init("strided asset in env 1", CameraOrigin(type: .assetRoot, envIndex: 1, assetName: "ball"), .body(7)),
        .init("env index past num_envs", CameraOrigin(type: .env, envIndex: 2),
              fails: "camera origin env: env_index 2 is out of range: the rollout's num_envs are 0..<2"),
        .init("negative env index", CameraOrigin(type: .assetRoot, envIndex: -1, assetName: "robot"),
              fails: "env_index -1 is out of range: asset \"robot\"'s envs are 0..<2"),
        .init("env the asset does not have", CameraOrigin(type: .assetRoot, envIndex: 1, assetName: "flag"),
              fails: "env_index 1 is out of range: asset \"flag\"'s envs are 0..<1"),
        .init("no asset name", CameraOrigin(type: .assetRoot),
              fails: "camera origin asset_root: asset_name (none) is needed"),
        .init("rollout without assets", CameraOrigin(type: .assetRoot, assetName: "robot"), in: originScene(assets: false),
              fails: "asset_name \"robot\" cannot be found: the rollout names no assets"),
        .init("unknown asset", CameraOrigin(type: .assetBody, assetName: "dog", body: .name("tail")),
              fails: "asset_name \"dog\" is not an asset of the rollout; it has \"robot\", \"ball\", \"flag\""),
        .init("unknown body", CameraOrigin(type: .assetBody, assetName: "robot", body: .name("hand")),
              fails: "body_name \"hand\" is not a body of asset \"robot\"; it has \"torso\", \"thigh\", \"foot\""),
        .init("body index past the asset", CameraOrigin(type: .assetBody, assetName: "robot", body: .index(3)),
              fails: "body index 3 is out of range: asset \"robot\" has bodies 0..<3"),
        .init("asset body without a body", CameraOrigin(type: .assetBody, assetName: "robot"),
              fails: "body_name (none) is needed: name the body of asset \"robot\" the camera follows (it has \"torso\""),
    ]
}

@Test(arguments: OriginCase.all)
func cameraOriginsResolveAgainstTheRollout(_ c: OriginCase) {
    do {
        let anchor = try c.origin.resolve(in: c.header)
        #expect(Result.success(anchor) == c.expected)
    } catch {
        guard case .failure(let failure) = c.expected else { Issue.record("refused: \(error)"); return }
        #expect(error.description.contains(failure.text), "\(error.description)")
    }
}

@Test func aRolloutViewerStatesItsOrigin() throws {
    let viewer = RolloutHeader.Viewer(eye: Vec3(-3, 0, 2), lookat: Vec3(0, 0, 0), originType: "asset_body", envIndex: 1,
                                      assetName: "robot", bodyName: "foot")
    let origin = CameraOrigin(viewer: viewer)
    #expect(origin == CameraOrigin(type: .assetBody, envIndex: 1, assetName: "robot", body: .name("foot")))
    #expect(try origin.resolve(in: originScene()) == .body(6))
    #expect(CameraOrigin(viewer: .init(eye: Vec3(1, 1, 1), lookat: Vec3(0, 0, 0))) == .world)
}

@Test func longListsOfNamesAreCut() {
    let names = (0..<20).map { "link\($0)" }
    let asset = RolloutAsset(name: "robot", bodyNames: names, rows: .perEnv([Array(0..<20)]))
    var header = originScene()
    header.numBodies = 20
    header.assets = [asset]
    #expect(throws: CameraConfigError.invalidValue(
        field: "body_name", value: "\"hand\"", origin: "camera origin asset_body",
        reason: "is not a body of asset \"robot\"; it has " + names.prefix(8).map { "\"\($0)\"" }.joined(separator: ", ")
            + " and 12 more")) {
        try CameraOrigin(type: .assetBody, assetName: "robot", body: .name("hand")).resolve(in: header)
    }
}

@Test func anAnchoredViewTranslatesByTheAnchorAndNeverRotates() {
    let offset = CameraView(eye: Vec3(-3, 0, 2), lookat: Vec3(0, 0, 0))
    let positions = [Vec3(0, 0, 1), Vec3(5, -2, 1)]
    #expect(CameraAnchor.body(1).view(offset: offset) { positions[$0] }
            == CameraView(eye: Vec3(2, -2, 3), lookat: Vec3(5, -2, 1)))
    #expect(CameraAnchor.point(Vec3(1, 1, 0)).view(offset: offset) { positions[$0] }
            == CameraView(eye: Vec3(-2, 1, 2), lookat: Vec3(1, 1, 0)))
    #expect(CameraAnchor.world.view(offset: offset) { positions[$0] } == offset)
}
