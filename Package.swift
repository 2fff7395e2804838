// swift-tools-version: 6.0
import PackageDescription

// One folder per concept under Sources/: C shims (CZeroMQ, CLibAV, CEGL) are wrapped once by
// FarmWire, FarmEncode and FarmRender; FarmCore is pure Swift logic with no C and no I/O beyond files.
// farmctl links neither EGL, GL nor libav: it runs on login nodes that have none of them.
let package = Package(
    name: "RenderFarm",
    // macOS 15: the coordinator and the harness use the Synchronization module's Mutex.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "farmctl", targets: ["farmctl"]),
        .executable(name: "farm-coordinator", targets: ["farm-coordinator"]),
        .executable(name: "farm-worker", targets: ["farm-worker"]),
        .executable(name: "farm-bench", targets: ["farm-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // The coordinator's /metrics and dashboard (FarmMonitor).
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // C libraries, from Debian packages (tools/setup installs them).
        // No pkgConfig: libzmq's .pc adds krb5 include flags SwiftPM refuses with a warning on every
        // build; the header is in /usr/include and the module map links libzmq.
        .systemLibrary(name: "CZeroMQ", path: "Sources/CShims/CZeroMQ", providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "CLibAV", path: "Sources/CShims/CLibAV",
                       pkgConfig: "libavcodec libavformat libavutil libswscale",
                       providers: [.apt(["libavcodec-dev", "libavformat-dev", "libswscale-dev"])]),
        .systemLibrary(name: "CEGL", path: "Sources/CShims/CEGL",
                       providers: [.apt(["libegl-dev", "libgl-dev"])]),

        // Pure logic: presets, backend resolution, camera, schedules, layout, rollout format.
        .target(name: "FarmCore", dependencies: [.product(name: "Yams", package: "Yams")]),
        // Built-in rollout generators (Cartpole) so the farm runs with no trainer attached.
        .target(name: "FarmSim", dependencies: ["FarmCore"]),
        // ZeroMQ sockets and the farm protocol's messages.
        .target(name: "FarmWire", dependencies: ["CZeroMQ", "FarmCore"]),
        // EGL devices, offscreen GL, the renderer and the kit / newton_gl capture backends.
        .target(name: "FarmRender", dependencies: ["CEGL", "FarmCore"]),
        // libav H.264/MP4 writer.
        .target(name: "FarmEncode", dependencies: ["CLibAV", "FarmCore",
                                                   .product(name: "Logging", package: "swift-log")]),
        // Render → readback → convert → encode pipeline producing one clip.
        .target(name: "FarmPipeline", dependencies: ["FarmCore", "FarmRender", "FarmEncode",
                                                     .product(name: "Logging", package: "swift-log")]),
        // The two daemons' logic, testable in-process.
        .target(name: "FarmCoordinator", dependencies: [
            "FarmCore", "FarmWire",
            // ClipProbe: every RESULT is probed with libavformat before it is filed.
            "FarmEncode",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The coordinator's HTTP side: Prometheus /metrics, the dashboard and its clip files.
        .target(name: "FarmMonitor", dependencies: [
            "FarmCore", "FarmWire", "FarmCoordinator",
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Links neither EGL nor libav: `ClipProducing` is its only contact with rendering.
        .target(name: "FarmWorker", dependencies: [
            "FarmCore", "FarmWire",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // A coordinator and render-free workers in this process, and a child-process runner: shared by
        // the tests and farm-bench.
        .target(name: "FarmHarness", dependencies: [
            "FarmCoordinator", "FarmEncode", "FarmWire", "FarmWorker",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Starting farm processes: where the binaries are (FARM_BIN), children with log files, free
        // loopback ports, a local farm. farmctl up/demo and the integration tests share it.
        .target(name: "FarmLaunch", dependencies: ["FarmWire"]),
        // The executables' shared argument types (vectors, schedule and backend names) and log output.
        .target(name: "FarmCLI", dependencies: [
            "FarmCore", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .executableTarget(name: "farmctl", dependencies: [
            "FarmCore", "FarmSim", "FarmWire", "FarmCLI", "FarmLaunch",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "farm-coordinator", dependencies: [
            "FarmCore", "FarmCoordinator", "FarmMonitor", "FarmCLI",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "farm-worker", dependencies: [
            "FarmCore", "FarmRender", "FarmEncode", "FarmPipeline", "FarmWire", "FarmWorker", "FarmCLI",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Benchmarks (tools/bench runs them); one subcommand per stage.
        .executableTarget(name: "farm-bench", dependencies: [
            "FarmCore", "FarmEncode", "FarmRender", "FarmSim", "FarmPipeline",
            "FarmCoordinator", "FarmMonitor", "FarmWire", "FarmWorker", "FarmHarness",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // What several test targets share: ffprobe/ffmpeg inspection of clips, process helpers.
        .target(name: "FarmTestSupport", dependencies: ["FarmCore", "FarmHarness", "FarmLaunch"], path: "Tests/FarmTestSupport"),
        .testTarget(name: "FarmCoreTests", dependencies: ["FarmCore"]),
        .testTarget(name: "FarmSimTests", dependencies: ["FarmSim", "FarmCore"]),
        .testTarget(name: "FarmWireTests", dependencies: ["FarmWire", "FarmCore"]),
        .testTarget(name: "FarmRenderTests", dependencies: ["FarmRender", "FarmCore", "FarmSim"]),
        .testTarget(name: "FarmEncodeTests", dependencies: ["FarmEncode", "FarmCore", "FarmTestSupport",
                                                            .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "FarmPipelineTests", dependencies: ["FarmPipeline", "FarmCore", "FarmSim", "FarmRender", "FarmTestSupport"]),
        .testTarget(name: "FarmWorkerTests", dependencies: ["FarmWorker", "FarmWire", "FarmCore", "FarmHarness"]),
        .testTarget(name: "FarmCoordinatorTests", dependencies: ["FarmCoordinator", "FarmCore", "FarmWire", "FarmEncode", "FarmHarness",
                                                                  .product(name: "GRDB", package: "GRDB.swift"),
                                                                  .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "FarmMonitorTests", dependencies: ["FarmMonitor", "FarmCoordinator", "FarmCore", "FarmWire",
                                                              "FarmTestSupport"]),
        // Each command's argument parsing (negative vectors, enum choices), with no process started.
        .testTarget(name: "FarmCLITests", dependencies: ["farmctl", "farm-coordinator", "farm-worker", "farm-bench", "FarmCore"]),
        // Real processes on loopback: builds the executables first (tools/test does).
        .testTarget(name: "FarmIntegrationTests", dependencies: ["FarmCore", "FarmWire", "FarmSim", "FarmHarness", "FarmLaunch",
                                                                   "FarmTestSupport"]),
    ]
)
