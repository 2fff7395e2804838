import ArgumentParser
import FarmRender
import Foundation

/// `farm-worker devices [--json]`: the EGL devices this process sees and the one it would render on.
struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List the EGL devices this process can see and the one it would pick.")

    @Option(name: .customLong("cuda-device"), help: "Select by CUDA ordinal as this process sees it (within CUDA_VISIBLE_DEVICES).")
    var cudaDevice: Int?

    @Option(name: .customLong("egl-device"), help: "Select by raw EGL device index.")
    var eglDevice: Int?

    @Flag(help: "Print one JSON object.")
    var json = false

    func validate() throws {
        if cudaDevice != nil, eglDevice != nil {
            throw ValidationError("--cuda-device and --egl-device are exclusive")
        }
    }

    func run() throws {
        let request: DeviceRequest = cudaDevice.map { .cudaDevice($0) } ?? eglDevice.map { .eglDevice($0) } ?? .automatic
        let devices = try EGLDeviceEnumerator.devices()
        let cuda = ProcessInfo.processInfo.environment["CUDA_VISIBLE_DEVICES"]
        var report = DevicesReport(devices: devices.map(DevicesReport.Device.init), cudaVisibleDevices: cuda)
        do {
            let selection = try DeviceSelector.select(devices: devices, request: request, cudaVisibleDevices: cuda)
            report.selected = selection.device.index
            report.reason = selection.reason
            report.warnings = selection.warnings
            let device = try RenderDevice(selection: selection)
            report.glVendor = device.vendor
            report.glRenderer = device.renderer
        } catch {
            report.error = error.description
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.text)
        }
        if report.error != nil { throw ExitCode.failure }
    }
}

/// What `devices` prints; the JSON keys are part of the command-line contract.
struct DevicesReport: Encodable {
    struct Device: Encodable {
        var index: Int
        var kind: String
        var cudaOrdinal: Int?
        var drmPath: String?
        var extensions: [String]
        var error: String?

        init(_ info: EGLDeviceInfo) {
            index = info.index
            kind = info.kind.rawValue
            cudaOrdinal = info.cudaOrdinal
            drmPath = info.drmPath
            extensions = info.extensions
            error = info.queryFailure
        }

        enum CodingKeys: String, CodingKey {
            case index, kind, extensions, error
            case cudaOrdinal = "cuda_ordinal", drmPath = "drm_path"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(index, forKey: .index)
            try c.encode(kind, forKey: .kind)
            try c.encode(cudaOrdinal, forKey: .cudaOrdinal)
            try c.encode(drmPath, forKey: .drmPath)
            try c.encode(extensions, forKey: .extensions)
            try c.encode(error, forKey: .error)
        }
    }

    var devices: [Device]
    var cudaVisibleDevices: String?
    var selected: Int?
    var reason: String?
    var warnings: [String] = []
    var glVendor: String?
    var glRenderer: String?
    var error: String?

    enum CodingKeys: String, CodingKey {
        case devices, selected, reason, warnings, error
        case cudaVisibleDevices = "cuda_visible_devices", glVendor = "gl_vendor", glRenderer = "gl_renderer"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(devices, forKey: .devices)
        try c.encode(cudaVisibleDevices, forKey: .cudaVisibleDevices)
        try c.encode(selected, forKey: .selected)
        try c.encode(reason, forKey: .reason)
        try c.encode(warnings, forKey: .warnings)
        try c.encode(glVendor, forKey: .glVendor)
        try c.encode(glRenderer, forKey: .glRenderer)
        try c.encode(error, forKey: .error)
    }

    var text: String {
        var lines = ["INDEX  KIND      CUDA  DRM"]
        for d in devices {
            let mark = d.index == selected ? "*" : " "
            let cuda = d.cudaOrdinal.map(String.init) ?? "-"
            let note = d.error.map { "  (skipped: \($0))" } ?? ""
            lines.append("\(mark)\(String(d.index).padding(toLength: 6, withPad: " ", startingAt: 0)) "
                         + "\(d.kind.padding(toLength: 9, withPad: " ", startingAt: 0)) "
                         + "\(cuda.padding(toLength: 5, withPad: " ", startingAt: 0)) \(d.drmPath ?? "-")\(note)")
        }
        if let selected {
            lines.append("selected: EGL device \(selected) (\(reason ?? ""))")
            if let glVendor, let glRenderer { lines.append("GL: \(glVendor) / \(glRenderer)") }
        }
        lines += warnings.map { "warning: \($0)" }
        if let error { lines.append("error: \(error)") }
        return lines.joined(separator: "\n")
    }
}
