import Foundation
import Testing
@testable import FarmCore

/// A scratch configs directory, removed when the test ends.
final class ScratchConfigs {
    let url: URL
    var path: String { url.path }

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("farm-configs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url.appendingPathComponent("tasks"), withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func write(_ relativePath: String, _ text: String) throws {
        try text.write(to: url.appendingPathComponent(relativePath), atomically: true, encoding: .utf8)
    }
}

/// The repository's `configs/`, found from this source file.
let repositoryConfigs = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("configs").path

@Suite("Config loading")
struct ConfigLoadingTests {
    @Test("The repository's configs/ and the built-in defaults are identical")
    func inSync() throws {
        let loaded = try FarmConfiguration.load(directory: repositoryConfigs)
        #expect(loaded.presets == PresetCatalog.builtIn)
        #expect(loaded.tasks == TaskCatalog.builtIn)
        #expect(loaded.farm == FarmSettings.builtIn)
        let taskFiles = try FileManager.default.contentsOfDirectory(atPath: repositoryConfigs + "/tasks").sorted()
        #expect(taskFiles == TaskCatalog.builtIn.names.map { "\($0).yaml" }.sorted())
    }

    @Test("Farm settings: endpoints, 1 s heartbeats, liveness 3, 2 retries, logs root")
    func farmDefaults() {
        let farm = FarmSettings.builtIn
        #expect(farm.workerEndpoint == "tcp://127.0.0.1:5555")
        #expect(farm.clientEndpoint == "tcp://127.0.0.1:5556")
        #expect(farm.heartbeatInterval == 1 && farm.heartbeatLiveness == 3 && farm.peerTimeout == 3)
        #expect(farm.maxRetries == 2)
        #expect(farm.logsRoot == "logs")
        #expect(farm.reconnectInitial == 1 && farm.reconnectMax == 32)
        #expect(farm.problem == nil)
    }

    @Test("An empty directory means built-in values; files override piece by piece")
    func overrides() throws {
        let scratch = try ScratchConfigs()
        #expect(try FarmConfiguration.load(directory: scratch.path).presets == .builtIn)
        try scratch.write("presets.yaml", """
            default_physics: genesis
            presets:
              - name: genesis
                physics_manager: GenesisManager
              - name: newton_mjwarp
                physics_manager: NewtonManager
            """)
        try scratch.write("farm.yaml", "logs_root: /data/logs\nmax_retries: 5\n")
        try scratch.write("tasks/ant.yaml", """
            task: Isaac-Ant-v0
            workflow: rsl_rl
            viewer: {eye: [1, 2, 3], lookat: [0, 0, 0.5], origin_type: env}
            """)
        try scratch.write("tasks/cartpole.yml", """
            task: Isaac-Cartpole-v0
            resolution: {width: 640, height: 360}
            viewer: {eye: [8, 0, 5], lookat: [0, 0, 0]}
            """)
        try scratch.write("tasks/README.txt", "not a task")
        let loaded = try FarmConfiguration.load(directory: scratch.path)
        #expect(loaded.directory == scratch.path)
        #expect(loaded.presets.names == ["genesis", "newton_mjwarp"])
        #expect(try loaded.presets.stack([]).physicsManagerName == "GenesisManager")
        #expect(loaded.farm.logsRoot == "/data/logs")
        #expect(loaded.farm.maxRetries == 5)
        #expect(loaded.farm.heartbeatInterval == 1)
        let ant = loaded.tasks.config(forTask: "Isaac-Ant-v0")
        #expect(ant.viewer == ViewerConfig(eye: Vec3(1, 2, 3), lookat: Vec3(0, 0, 0.5), originType: .env))
        #expect(ant.frameSize == .recorderDefault && ant.workflow == "rsl_rl")
        #expect(loaded.tasks.config(forTask: "Isaac-Cartpole-v0").frameSize == FrameSize(width: 640, height: 360))
        #expect(loaded.tasks.config(forTask: "Isaac-Cartpole-v0").stepDt == nil)
        #expect(loaded.tasks.config(forTask: "Isaac-Cartpole-Direct-v0").stepDt == 1.0 / 60.0)
    }

    /// A file, its text, and fragments the error message must contain.
    struct BadFile: Sendable, CustomTestStringConvertible {
        let file: String
        let text: String
        let fragments: [String]
        var testDescription: String { "\(file): \(fragments.joined(separator: " … "))" }
    }

    static let badFiles: [BadFile] = [
        .init(file: "presets.yaml", text: "presets: [\n", fragments: ["presets.yaml", "not valid YAML"]),
        .init(file: "presets.yaml", text: "", fragments: ["presets.yaml", "the file is empty"]),
        .init(file: "presets.yaml", text: "- a\n- b\n", fragments: ["top level", "expected a mapping"]),
        .init(file: "presets.yaml", text: "presets: []\n", fragments: ["missing key 'default_physics'"]),
        .init(file: "presets.yaml", text: "default_physics: physx\npreset: []\n", fragments: ["unknown key 'preset'"]),
        .init(file: "presets.yaml", text: "default_physics: physx\npresets: {}\n", fragments: ["presets (line 2)", "expected a list"]),
        .init(file: "presets.yaml", text: "default_physics: physx\npresets:\n  - physics_manager: X\n",
              fragments: ["presets[0]", "missing key 'name'"]),
        .init(file: "presets.yaml", text: "default_physics: physx\npresets:\n  - name: physx\n",
              fragments: ["presets[0] (line 3)", "exactly one of 'physics_manager' or 'renderer_type'"]),
        .init(file: "presets.yaml", text: "default_physics: physx\npresets:\n  - {name: physx, physics_manager: P, renderer_type: r}\n",
              fragments: ["presets[0]", "exactly one of"]),
        .init(file: "presets.yaml", text: "default_physics: physx\npresets:\n  - {name: physx, physics_manager: [a]}\n",
              fragments: ["presets[0].physics_manager", "expected a string"]),
        .init(file: "presets.yaml", text: "default_physics: rtx\npresets:\n  - {name: rtx, renderer_type: isaac_rtx}\n",
              fragments: ["default_physics 'rtx' is not a physics preset"]),
        .init(file: "presets.yaml", text: "default_physics: physx\npresets:\n  - {name: a, renderer_type: r}\n",
              fragments: ["default_physics 'physx' is not a preset of the catalog"]),
        .init(file: "presets.yaml", text: "default_physics: p\npresets:\n  - {name: p, physics_manager: P}\n  - {name: p, physics_manager: Q}\n",
              fragments: ["preset 'p' is listed twice"]),
        .init(file: "farm.yaml", text: "heartbeat_interval_s: 0\n", fragments: ["farm.yaml", "heartbeat_interval_s (line 1)", "positive"]),
        .init(file: "farm.yaml", text: "heartbeat_liveness: 2.5\n", fragments: ["heartbeat_liveness", "expected a whole number"]),
        .init(file: "farm.yaml", text: "worker_endpoint: localhost:5555\n", fragments: ["worker_endpoint", "not a ZeroMQ endpoint"]),
        .init(file: "farm.yaml", text: "client_endpoint: tcp://127.0.0.1:5555\n", fragments: ["client_endpoint", "must differ"]),
        .init(file: "farm.yaml", text: "max_retries: -1\n", fragments: ["max_retries", "0 or more"]),
        .init(file: "farm.yaml", text: "logs_root: ''\n", fragments: ["logs_root", "is empty"]),
        .init(file: "farm.yaml", text: "reconnect_max_s: 0.5\n", fragments: ["reconnect_max_s", "at least reconnect_initial_s"]),
        .init(file: "farm.yaml", text: "heartbeat: 1\n", fragments: ["unknown key 'heartbeat'"]),
        .init(file: "tasks/t.yaml", text: "task: t\n", fragments: ["t.yaml", "missing key 'viewer'"]),
        .init(file: "tasks/t.yaml", text: "viewer: {eye: [1, 1, 1], lookat: [0, 0, 0]}\n", fragments: ["missing key 'task'"]),
        .init(file: "tasks/t.yaml", text: "task: t\nviewer: {eye: [1, 1], lookat: [0, 0, 0]}\n",
              fragments: ["viewer.eye", "3 numbers"]),
        .init(file: "tasks/t.yaml", text: "task: t\nviewer: {eye: [1, x, 1], lookat: [0, 0, 0]}\n",
              fragments: ["viewer.eye[1]", "expected a number"]),
        .init(file: "tasks/t.yaml", text: "task: t\nviewer: {eye: [.nan, 1, 1], lookat: [0, 0, 0]}\n",
              fragments: ["task 't' viewer", "eye", "NaN or infinite"]),
        .init(file: "tasks/t.yaml", text: "task: t\nviewer: {eye: [1, 1, 1], lookat: [1, 1, 1]}\n",
              fragments: ["eye and lookat are both"]),
        .init(file: "tasks/t.yaml", text: "task: t\nviewer: {eye: [1, 1, 1], lookat: [0, 0, 0], origin_type: robot}\n",
              fragments: ["viewer.origin_type", "unknown origin_type 'robot'", "world, env, asset_root, asset_body"]),
        .init(file: "tasks/t.yaml", text: "task: t\nresolution: {width: 0, height: 720}\nviewer: {eye: [1, 1, 1], lookat: [0, 0, 0]}\n",
              fragments: ["width 0 must be at least 1 pixel"]),
        .init(file: "tasks/t.yaml", text: "task: t\nstep_dt: -0.1\nviewer: {eye: [1, 1, 1], lookat: [0, 0, 0]}\n",
              fragments: ["step_dt"]),
        .init(file: "tasks/t.yaml", text: "task: t\nworkflow: ../x\nviewer: {eye: [1, 1, 1], lookat: [0, 0, 0]}\n",
              fragments: ["workflow", "contains '/'"]),
        .init(file: "tasks/t.yaml", text: "task: t\nfps: 60\nviewer: {eye: [1, 1, 1], lookat: [0, 0, 0]}\n",
              fragments: ["unknown key 'fps'"]),
        .init(file: "tasks/t.yaml", text: "task: t\ntask: u\nviewer: {eye: [1, 1, 1], lookat: [0, 0, 0]}\n",
              fragments: ["t.yaml", "duplicated key"]),
        .init(file: "tasks/t.yaml", text: "task: Isaac-Cartpole-v0\nviewer: {eye: [1, 1, 1], lookat: [0, 0, 0]}\n",
              fragments: []),
    ]

    @Test("Malformed files are refused with the file, key and reason", arguments: badFiles)
    func badFile(_ bad: BadFile) throws {
        let scratch = try ScratchConfigs()
        try scratch.write(bad.file, bad.text)
        if bad.fragments.isEmpty {
            #expect(throws: Never.self) { try FarmConfiguration.load(directory: scratch.path) }
            return
        }
        let error = #expect(throws: ConfigError.self) { try FarmConfiguration.load(directory: scratch.path) }
        let message = error?.description ?? ""
        for fragment in bad.fragments {
            #expect(message.contains(fragment), "\(message)")
        }
    }

    @Test("Two files defining one task are refused")
    func duplicateTask() throws {
        let scratch = try ScratchConfigs()
        let text = "task: same\nviewer: {eye: [1, 1, 1], lookat: [0, 0, 0]}\n"
        try scratch.write("tasks/a.yaml", text)
        try scratch.write("tasks/b.yaml", text)
        let error = #expect(throws: ConfigError.self) { try FarmConfiguration.load(directory: scratch.path) }
        #expect(error?.description.contains("task 'same' is also defined in") == true)
    }
}

@Suite("Config directory discovery")
struct ConfigLocatorTests {
    @Test("--config-dir first, then FARM_CONFIG_DIR, then ./configs, then beside the executable")
    func order() throws {
        let a = try ScratchConfigs(), b = try ScratchConfigs()
        let package = try ScratchConfigs()
        try FileManager.default.createDirectory(at: package.url.appendingPathComponent("configs"), withIntermediateDirectories: true)
        try package.write("configs/presets.yaml", "")
        let binary = package.url.appendingPathComponent(".build/x86_64-unknown-linux-gnu/debug")
        try FileManager.default.createDirectory(at: binary, withIntermediateDirectories: true)
        let nowhere = FileManager.default.temporaryDirectory.path

        #expect(try ConfigLocator.locate(explicitDirectory: a.path, environment: ["FARM_CONFIG_DIR": b.path],
                                         currentDirectory: nowhere, executablePath: nil) == a.path)
        #expect(try ConfigLocator.locate(explicitDirectory: nil, environment: ["FARM_CONFIG_DIR": b.path],
                                         currentDirectory: nowhere, executablePath: nil) == b.path)
        #expect(try ConfigLocator.locate(explicitDirectory: nil, environment: [:],
                                         currentDirectory: package.path, executablePath: nil)
            == package.url.appendingPathComponent("configs").path)
        let found = try ConfigLocator.locate(explicitDirectory: nil, environment: [:], currentDirectory: nowhere,
                                             executablePath: binary.appendingPathComponent("farmctl").path)
        #expect(found.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
            == package.url.appendingPathComponent("configs").resolvingSymlinksInPath().path)
        #expect(try ConfigLocator.locate(explicitDirectory: nil, environment: [:], currentDirectory: nowhere,
                                         executablePath: "/usr/bin/farmctl") == nil)
    }

    @Test("A directory named explicitly must exist")
    func missing() {
        let gone = "/nonexistent/farm-configs"
        #expect(throws: ConfigError.missingDirectory(path: gone, namedBy: "--config-dir")) {
            try ConfigLocator.locate(explicitDirectory: gone, environment: [:], currentDirectory: "/", executablePath: nil)
        }
        #expect(throws: ConfigError.missingDirectory(path: gone, namedBy: "FARM_CONFIG_DIR")) {
            try ConfigLocator.locate(explicitDirectory: nil, environment: ["FARM_CONFIG_DIR": gone],
                                     currentDirectory: "/", executablePath: nil)
        }
    }

    @Test("Nothing found: the built-in configuration")
    func builtIn() throws {
        let configuration = try FarmConfiguration.discover(explicitDirectory: nil, environment: [:],
                                                           currentDirectory: "/", executablePath: nil)
        #expect(configuration == .builtIn)
    }
}
