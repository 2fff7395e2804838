/// What an EGL device is, judged from its extension string.
public enum EGLDeviceKind: String, Sendable, Codable, Equatable {
    /// NVIDIA's driver (`EGL_NV_device_cuda`): has a CUDA ordinal.
    case nvidia
    /// Mesa's software rasteriser (`EGL_MESA_device_software`, llvmpipe).
    case software
    /// Any other hardware device (a Mesa DRM device, another vendor).
    case other

    public var isHardware: Bool { self != .software }
}

/// One device from `eglQueryDevicesEXT`, as the process saw it.
public struct EGLDeviceInfo: Sendable, Equatable {
    /// Position in `eglQueryDevicesEXT`'s list (the raw `--egl-device` index). Not a CUDA ordinal.
    public var index: Int
    public var kind: EGLDeviceKind
    /// `EGL_CUDA_DEVICE_NV`: the device's ordinal in the driver's CUDA enumeration, which ignores
    /// `CUDA_VISIBLE_DEVICES` (see `DeviceSelector`).
    public var cudaOrdinal: Int?
    /// `EGL_DRM_DEVICE_FILE_EXT`, when the device has one (often absent in containers).
    public var drmPath: String?
    public var extensions: [String]
    /// Set when a query of this device failed; such a device is listed but never selected.
    public var queryFailure: String?

    public init(index: Int, kind: EGLDeviceKind, cudaOrdinal: Int? = nil, drmPath: String? = nil,
                extensions: [String] = [], queryFailure: String? = nil) {
        self.index = index
        self.kind = kind
        self.cudaOrdinal = cudaOrdinal
        self.drmPath = drmPath
        self.extensions = extensions
        self.queryFailure = queryFailure
    }

    public var isUsable: Bool { queryFailure == nil }

    /// Classifies a device by the extensions it advertises.
    public static func kind(forExtensions extensions: [String]) -> EGLDeviceKind {
        if extensions.contains("EGL_NV_device_cuda") { return .nvidia }
        if extensions.contains("EGL_MESA_device_software") { return .software }
        return .other
    }
}

/// Which device a worker should render on (`--cuda-device N`, `--egl-device N`, or neither).
public enum DeviceRequest: Sendable, Equatable, CustomStringConvertible {
    /// The visible CUDA device if there is one, else the first hardware device, else software.
    case automatic
    /// A CUDA ordinal as this process sees it, i.e. counted within `CUDA_VISIBLE_DEVICES`.
    case cudaDevice(Int)
    /// A raw index into EGL's device list.
    case eglDevice(Int)

    public var description: String {
        switch self {
        case .automatic: "automatic"
        case .cudaDevice(let n): "--cuda-device \(n)"
        case .eglDevice(let n): "--egl-device \(n)"
        }
    }
}
