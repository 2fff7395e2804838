import ArgumentParser
import Dispatch
import FarmCore
import FarmEncode
import FarmRender
import FarmWorker
import Foundation
import Logging

/// `farm-worker [serve] --coordinator E [device flags]`: the worker daemon. Heartbeats go to stdout
/// as one JSON line each; logs go to stderr. SIGTERM or SIGINT drains (finish the clip, send it,
/// leave, exit 0); a second one exits at once.
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

    @Flag(name: .customLong("null-render"),
          help: "Render nothing: answer every task with the same tiny valid MP4 (dispatch benchmarks, coordinator tests).")
    var nullRender = false

    @Option(name: .customLong("health-file"), help: "Write each heartbeat's Unix time to this file (for liveness probes).")
    var healthFile: String?

    @Option(name: .customLong("scratch-dir"), help: "Where clips are written before they are sent (default: a temporary directory).")
    var scratchDirectory: String?

    @Option(name: .customLong("encoder-threads"),
            help: "libx264 threads per clip (default 0: one per core); with several workers on a node, cores / workers.")
    var encoderThreads = 0

    @Option(name: [.customLong("config-dir"), .customLong("config_dir")],
            help: "Directory holding farm.yaml and presets.yaml (default: $FARM_CONFIG_DIR, ./configs, else built-in).")
    var configDirectory: String?

    func validate() throws {
        if cudaDevice != nil && eglDevice != nil { throw ValidationError("--cuda-device and --egl-device are exclusive") }
        if encoderThreads < 0 { throw ValidationError("--encoder-threads must be 0 (one per core) or more") }
        if nullRender && (cudaDevice != nil || eglDevice != nil) {
            throw ValidationError("--null-render uses no device; drop --cuda-device/--egl-device")
        }
    }

    func run() throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        let settings: FarmConfiguration
        do {
            settings = try FarmConfiguration.discover(explicitDirectory: configDirectory)
        } catch {
            FileHandle.standardError.write(Data("farm-worker: \(error)\n".utf8))
            throw ExitCode.failure
        }
        let farm = settings.farm
        let configuration = WorkerConfiguration(
            coordinator: coordinator ?? farm.workerEndpoint,
            heartbeatInterval: .seconds(farm.heartbeatInterval), livenessIntervals: farm.heartbeatLiveness,
            backoff: ReconnectBackoff(initial: .seconds(farm.reconnectInitial), maximum: .seconds(farm.reconnectMax)),
            healthFile: healthFile, presets: settings.presets, scratchDirectory: scratchDirectory)
        let (cuda, egl, threads) = (cudaDevice, eglDevice, encoderThreads)
        let factory: ClipProducerFactory
        if nullRender {
            factory = { NullClipProducer() }
        } else {
            factory = { try Self.makeRenderingProducer(cudaDevice: cuda, eglDevice: egl, encoderThreads: threads) }
        }
        do {
            let daemon = try WorkerDaemon(configuration: configuration, producerFactory: factory)
            let signals = Self.drainOnSignals(daemon)
            try withExtendedLifetime(signals) { () throws(WorkerError) in try daemon.run() }
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    /// The real producer on the device the flags select, created on the render thread.
    static func makeRenderingProducer(cudaDevice: Int?, eglDevice: Int?, encoderThreads: Int) throws -> any ClipProducing {
        let request: DeviceRequest = cudaDevice.map { .cudaDevice($0) } ?? eglDevice.map { .eglDevice($0) } ?? .automatic
        return try PipelineClipProducer(request: request, encoderSettings: EncoderSettings(threads: encoderThreads))
    }

    /// SIGTERM/SIGINT handled on a dispatch queue (nothing runs in the signal handler itself): the
    /// first drains, a second exits at once.
    private static func drainOnSignals(_ daemon: WorkerDaemon) -> [any DispatchSourceSignal] {
        let received = Counter()
        return [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if received.increment() > 1 {
                    FileHandle.standardError.write(Data("farm-worker: second signal; exiting without draining\n".utf8))
                    Foundation.exit(1)
                }
                daemon.requestDrain()
            }
            source.resume()
            return source
        }
    }

    private final class Counter: @unchecked Sendable {
        // Only touched under `lock`.
        private var count = 0
        private let lock = NSLock()

        func increment() -> Int {
            lock.lock()
            defer { lock.unlock() }
            count += 1
            return count
        }
    }
}
