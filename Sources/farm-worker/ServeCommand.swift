import ArgumentParser
import FarmCLI
import FarmCore
import FarmEncode
import FarmRender
import FarmWire
import FarmWorker
import Foundation
import Logging

/// `farm-worker [serve] --coordinator E [device flags]`: the worker daemon. Heartbeats go to stdout
/// as one JSON line each; logs go to stderr. SIGTERM or SIGINT drains (finish the clip, send it,
/// leave, exit 0); a second one abandons the clip in hand (exit 3), with the same clean teardown.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Connect to a coordinator and render the clips it sends (the default command).")

    @Option(help: "The coordinator's worker endpoint (default: worker_endpoint in configs/farm.yaml).")
    var coordinator: String?

    @Option(name: .customLong("cuda-device"), help: "Render on the EGL device with this CUDA ordinal (as this process sees it).")
    var cudaDevice: Int?

    @Option(name: .customLong("egl-device"), help: "Render on this raw EGL device index.")
    var eglDevice: Int?

    @Option(name: .customLong("health-file"), help: "Write each heartbeat's Unix time to this file (for liveness probes).")
    var healthFile: String?

    @Option(name: .customLong("scratch-dir"), help: "Scratch root: clips are written in this process's own run-<pid>-<hex> folder under it before they are sent; dead workers' folders there are removed on start (default: <tmp>/farm-worker).")
    var scratchDirectory: String?

    @Option(name: .customLong("coordinator-key"),
            help: "The coordinator's CURVE public key, Z85 (default: $FARM_COORDINATOR_KEY, else farm.yaml's coordinator_key).")
    var coordinatorKey: String?

    @Option(name: .customLong("key-file"),
            help: "This worker's CURVE key pair file (default: $FARM_WORKER_KEY_FILE, else farm.yaml's worker_key_file).")
    var keyFile: String?

    @Option(name: .customLong("encoder-threads"),
            help: "libx264 threads per clip (default 0: one per core); with several workers on a node, cores / workers.")
    var encoderThreads = 0

    @Option(name: .customLong("config-dir"),
            help: "Directory holding farm.yaml and presets.yaml (default: $FARM_CONFIG_DIR, ./configs, else built-in).")
    var configDirectory: String?

    func validate() throws {
        if cudaDevice != nil && eglDevice != nil { throw ValidationError("--cuda-device and --egl-device are exclusive") }
        if encoderThreads < 0 { throw ValidationError("--encoder-threads must be 0 (one per core) or more") }
    }

    func run() throws {
        // First, before any thread exists: every thread started from here inherits the mask, and
        // SIGTERM/SIGINT are taken only by the signal thread (an early one waits there, pending).
        StopSignals.blockInThisThread()
        LoggingSystem.bootstrap { OneLineLogHandler(label: $0, level: .info) }
        let settings: FarmConfiguration
        do {
            settings = try FarmConfiguration.discover(explicitDirectory: configDirectory)
        } catch {
            FileHandle.standardError.write(Data("farm-worker: \(error)\n".utf8))
            throw ExitCode.failure
        }
        let farm = settings.farm
        let environment = ProcessInfo.processInfo.environment
        let curve: CurveClientKeys?
        do {
            curve = try CurveClientKeys.resolve(
                coordinatorKey: coordinatorKey ?? environment["FARM_COORDINATOR_KEY"].flatMap { $0.isEmpty ? nil : $0 }
                    ?? farm.coordinatorKey,
                keyFile: keyFile ?? environment["FARM_WORKER_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? farm.workerKeyFile)
        } catch {
            FileHandle.standardError.write(Data("farm-worker: \(error)\n".utf8))
            throw ExitCode.failure
        }
        var configuration = WorkerConfiguration(
            coordinator: coordinator ?? farm.workerEndpoint,
            heartbeatInterval: .seconds(farm.heartbeatInterval), livenessIntervals: farm.heartbeatLiveness,
            backoff: ReconnectBackoff(initial: .seconds(farm.reconnectInitial), maximum: .seconds(farm.reconnectMax)),
            healthFile: healthFile, presets: settings.presets, scratchDirectory: scratchDirectory)
        configuration.curve = curve
        let (cuda, egl, threads) = (cudaDevice, eglDevice, encoderThreads)
        let factory: ClipProducerFactory = {
            try Self.makeRenderingProducer(cudaDevice: cuda, eglDevice: egl, encoderThreads: threads)
        }
        let outcome: WorkerExit
        do {
            let daemon = try WorkerDaemon(configuration: configuration, producerFactory: factory)
            // The first signal drains; a second abandons the clip in hand. Either way the daemon
            // returns only after joining its render thread, and the signal thread is joined here.
            let signals = StopSignals { count in count == 1 ? daemon.requestDrain() : daemon.requestAbandon() }
            defer { signals.stop() }
            outcome = try daemon.run()
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode.failure
        }
        if outcome != .drained { throw ExitCode(outcome.code) }
    }

    /// The real producer on the device the flags select, created on the render thread.
    static func makeRenderingProducer(cudaDevice: Int?, eglDevice: Int?, encoderThreads: Int) throws -> any ClipProducing {
        let request: DeviceRequest = cudaDevice.map { .cudaDevice($0) } ?? eglDevice.map { .eglDevice($0) } ?? .automatic
        return try PipelineClipProducer(request: request, encoderSettings: EncoderSettings(threads: encoderThreads))
    }
}
