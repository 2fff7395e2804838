import Foundation

/// The device a worker will render on, why, and anything the operator should know about the choice.
public struct DeviceSelection: Sendable, Equatable {
    public var device: EGLDeviceInfo
    public var reason: String
    public var warnings: [String]

    public init(device: EGLDeviceInfo, reason: String, warnings: [String] = []) {
        self.device = device
        self.reason = reason
        self.warnings = warnings
    }
}

/// `CUDA_VISIBLE_DEVICES` as CUDA reads it: entries up to the first invalid one.
public struct CUDAVisibleDevices: Sendable, Equatable {
    public enum Entry: Sendable, Equatable {
        case ordinal(Int)
        /// `GPU-…` or `MIG-…`: only NVML could map it to an ordinal.
        case uuid(String)
    }

    /// nil when the variable is unset: every device is visible in driver order.
    public let entries: [Entry]?

    public init(_ raw: String?) {
        guard let raw else {
            entries = nil
            return
        }
        var parsed: [Entry] = []
        for item in raw.split(separator: ",", omittingEmptySubsequences: false) {
            let token = item.trimmingCharacters(in: .whitespaces)
            if let n = Int(token), n >= 0 {
                parsed.append(.ordinal(n))
            } else if token.hasPrefix("GPU-") || token.hasPrefix("MIG-") {
                parsed.append(.uuid(token))
            } else {
                break
            }
        }
        entries = parsed
    }

    public var hidesEveryDevice: Bool { entries?.isEmpty ?? false }
}

/// Picks an EGL device for a request. Pure: enumeration happens elsewhere (`EGLDeviceEnumerator`),
/// so every rule here is tested against fabricated device lists.
///
/// `EGL_CUDA_DEVICE_NV` reports the driver's CUDA ordinal, which does not honour
/// `CUDA_VISIBLE_DEVICES`; a process ordinal N is first mapped through that list. On a host with an
/// NVIDIA device, nothing but an explicit `--egl-device` ever lands on the software rasteriser.
public enum DeviceSelector {
    public static func select(devices: [EGLDeviceInfo], request: DeviceRequest,
                              cudaVisibleDevices: String?) throws(RenderError) -> DeviceSelection {
        let visible = CUDAVisibleDevices(cudaVisibleDevices)
        let skipped = devices.filter { !$0.isUsable }.map {
            "EGL device \($0.index) skipped: \($0.queryFailure ?? "query failed")"
        }
        var selection: DeviceSelection
        switch request {
        case .eglDevice(let index):
            selection = try byEGLIndex(index, devices: devices)
        case .cudaDevice(let ordinal):
            selection = try byCUDAOrdinal(ordinal, devices: devices, visible: visible, raw: cudaVisibleDevices)
        case .automatic:
            selection = try automatic(devices: devices, visible: visible, raw: cudaVisibleDevices)
        }
        selection.warnings = skipped + selection.warnings
        return selection
    }

    private static func byEGLIndex(_ index: Int, devices: [EGLDeviceInfo]) throws(RenderError) -> DeviceSelection {
        guard let device = devices.first(where: { $0.index == index }) else {
            throw .eglDeviceNotFound(index: index, available: devices.map(\.index))
        }
        guard device.isUsable else {
            throw .eglDeviceUnusable(index: index, reason: device.queryFailure ?? "query failed")
        }
        var warnings: [String] = []
        if device.kind == .software, devices.contains(where: { $0.kind == .nvidia && $0.isUsable }) {
            warnings.append("--egl-device \(index) is the software rasteriser although an NVIDIA device is present")
        }
        return DeviceSelection(device: device, reason: "requested EGL device \(index)", warnings: warnings)
    }

    private static func byCUDAOrdinal(_ ordinal: Int, devices: [EGLDeviceInfo], visible: CUDAVisibleDevices,
                                      raw: String?) throws(RenderError) -> DeviceSelection {
        let nvidia = devices.filter { $0.kind == .nvidia && $0.isUsable }
        guard !nvidia.isEmpty else {
            throw .noNVIDIADevice(request: "--cuda-device \(ordinal)", cudaVisibleDevices: raw)
        }
        let driverOrdinal: Int
        if let entries = visible.entries {
            guard ordinal >= 0, ordinal < entries.count else {
                throw .cudaOrdinalNotVisible(ordinal: ordinal, cudaVisibleDevices: raw ?? "", visibleCount: entries.count)
            }
            switch entries[ordinal] {
            case .ordinal(let n):
                driverOrdinal = n
            case .uuid(let uuid):
                guard nvidia.count == 1 else {
                    throw .cudaUUIDUnmappable(uuid: uuid, nvidiaDevices: nvidia.map(\.index))
                }
                return DeviceSelection(
                    device: nvidia[0], reason: "the only NVIDIA EGL device (CUDA device \(ordinal) is \(uuid))",
                    warnings: ["CUDA_VISIBLE_DEVICES names \(uuid); EGL shows one NVIDIA device, assumed to be it"])
            }
        } else {
            driverOrdinal = ordinal
        }
        guard let device = nvidia.first(where: { $0.cudaOrdinal == driverOrdinal }) else {
            throw .cudaDeviceNotFound(ordinal: ordinal, driverOrdinal: driverOrdinal,
                                      available: nvidia.compactMap(\.cudaOrdinal))
        }
        let mapping = driverOrdinal == ordinal ? "" : " (driver ordinal \(driverOrdinal) via CUDA_VISIBLE_DEVICES)"
        return DeviceSelection(device: device,
                               reason: "CUDA device \(ordinal)\(mapping) is EGL device \(device.index)")
    }

    private static func automatic(devices: [EGLDeviceInfo], visible: CUDAVisibleDevices,
                                  raw: String?) throws(RenderError) -> DeviceSelection {
        let usable = devices.filter(\.isUsable)
        let nvidia = usable.filter { $0.kind == .nvidia }
        if !nvidia.isEmpty {
            if visible.hidesEveryDevice {
                throw .cudaHidesEveryDevice(cudaVisibleDevices: raw ?? "")
            }
            if visible.entries != nil {
                var selection = try byCUDAOrdinal(0, devices: devices, visible: visible, raw: raw)
                selection.reason = "automatic: the visible " + selection.reason
                return selection
            }
            let device = nvidia.min { ($0.cudaOrdinal ?? Int.max, $0.index) < ($1.cudaOrdinal ?? Int.max, $1.index) }!
            return DeviceSelection(device: device, reason: "automatic: lowest CUDA ordinal (\(device.cudaOrdinal.map(String.init) ?? "unknown")) of the NVIDIA devices")
        }
        if let entries = visible.entries, !entries.isEmpty {
            throw .noNVIDIADevice(request: "automatic", cudaVisibleDevices: raw)
        }
        if let hardware = usable.first(where: { $0.kind.isHardware }) {
            return DeviceSelection(device: hardware, reason: "automatic: first hardware device")
        }
        if let software = usable.first(where: { $0.kind == .software }) {
            return DeviceSelection(device: software, reason: "automatic: no hardware device, software rasteriser",
                                   warnings: ["no hardware EGL device found; rendering on Mesa's software rasteriser (llvmpipe) on the CPU"])
        }
        throw .noUsableDevice(count: devices.count)
    }
}
