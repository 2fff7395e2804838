import Foundation

/// Which workers `farmctl up` starts: one per usable hardware EGL device (NVIDIA devices by CUDA
/// ordinal, others by EGL index), else workers on the software device, as `farm-worker devices --json`
/// reports them.
struct WorkerPlacement {
    struct Device: Decodable, Equatable {
        var index: Int
        var kind: String
        var cudaOrdinal: Int?
        var error: String?

        enum CodingKeys: String, CodingKey {
            case index, kind, error
            case cudaOrdinal = "cuda_ordinal"
        }
    }

    struct Report: Decodable {
        var devices: [Device]
    }

    /// Device arguments for each worker. `requested` workers (default: `perDevice` per hardware
    /// device) cycle over the hardware devices, or all use the software device when there is no
    /// hardware (default: `perDevice` of them). When several workers share the node, each one's
    /// libx264 gets `cores / workers` threads (`--encoder-threads`), so their encoders split the
    /// cores instead of each starting one thread per core.
    static func workers(devices: [Device], requested: Int?, perDevice: Int = 1, cores: Int) -> [[String]] {
        let hardware = devices.filter { $0.error == nil && $0.kind != "software" }
        let arguments = hardware.isEmpty ? [[String]()] : hardware.map { device -> [String] in
            if device.kind == "nvidia", let ordinal = device.cudaOrdinal { return ["--cuda-device", String(ordinal)] }
            return ["--egl-device", String(device.index)]
        }
        let count = max(requested ?? arguments.count * max(perDevice, 1), 1)
        let threads = count > 1 ? ["--encoder-threads", String(max(1, cores / count))] : []
        // Device-major: with 2 per device, workers 0 and 1 share the first device.
        let each = max(1, (count + arguments.count - 1) / arguments.count)
        return (0..<count).map { arguments[($0 / each) % arguments.count] + threads }
    }

    /// Asks `farm-worker devices --json` (farmctl itself links no EGL).
    static func probe(binDirectory: String) throws -> [Device] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binDirectory).appendingPathComponent("farm-worker")
        process.arguments = ["devices", "--json"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (try? JSONDecoder().decode(Report.self, from: data).devices) ?? []
    }
}
