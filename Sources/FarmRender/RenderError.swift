import FarmCore

/// Why a device could not be chosen or opened, or a clip could not be rendered. Each message says
/// what went wrong and what to change.
public enum RenderError: Error, Equatable, CustomStringConvertible {
    // Device discovery and selection.
    case eglExtensionMissing(String)
    case eglCallFailed(function: String, error: String)
    case noUsableDevice(count: Int)
    case eglDeviceNotFound(index: Int, available: [Int])
    case eglDeviceUnusable(index: Int, reason: String)
    case noNVIDIADevice(request: String, cudaVisibleDevices: String?)
    case cudaOrdinalNotVisible(ordinal: Int, cudaVisibleDevices: String, visibleCount: Int)
    case cudaUUIDUnmappable(uuid: String, nvidiaDevices: [Int])
    case cudaDeviceNotFound(ordinal: Int, driverOrdinal: Int, available: [Int])
    case cudaHidesEveryDevice(cudaVisibleDevices: String)
    // Context.
    case softwareRendererOnHardwareDevice(device: Int, vendor: String, renderer: String)
    // GL resources.
    case shaderCompile(name: String, log: String)
    case programLink(name: String, log: String)
    case framebufferIncomplete(name: String, status: String)
    case glError(operation: String, error: String)
    // Inputs.
    case invalidSize(width: Int, height: Int)
    case cameraCountMismatch(cameras: Int, steps: Int)
    case unusableCamera(frame: Int, eye: Vec3, lookat: Vec3)
    case bodyCountMismatch(rows: Int, header: Int)
    case missingMesh(shape: Int, mesh: Int, available: Int)

    public var description: String {
        switch self {
        case .eglExtensionMissing(let name):
            return "EGL lacks \(name); install libglvnd's libEGL with a vendor that supports device enumeration (Mesa ≥ 20 or the NVIDIA driver)"
        case .eglCallFailed(let function, let error):
            return "\(function) failed with \(error)"
        case .noUsableDevice(let count):
            return "no usable EGL device (\(count) listed, all failed their queries); install Mesa's EGL (libegl-mesa0) for software rendering or check the GPU driver"
        case .eglDeviceNotFound(let index, let available):
            return "--egl-device \(index) does not exist; EGL lists devices \(available)"
        case .eglDeviceUnusable(let index, let reason):
            return "EGL device \(index) cannot be used: \(reason)"
        case .noNVIDIADevice(let request, let cuda):
            let env = cuda.map { "CUDA_VISIBLE_DEVICES=\($0)" } ?? "CUDA_VISIBLE_DEVICES unset"
            return "\(request) (\(env)) needs an NVIDIA EGL device but EGL shows none; refusing to fall back to the software rasteriser. In a container set NVIDIA_DRIVER_CAPABILITIES to include graphics and provide 10_nvidia.json, or pass --egl-device N to choose a device deliberately"
        case .cudaOrdinalNotVisible(let ordinal, let cuda, let count):
            return "--cuda-device \(ordinal) is not visible: CUDA_VISIBLE_DEVICES=\(cuda) makes \(count) device(s) visible (ordinals 0..<\(count))"
        case .cudaUUIDUnmappable(let uuid, let devices):
            return "CUDA_VISIBLE_DEVICES names \(uuid), which cannot be matched to one of the NVIDIA EGL devices \(devices); use integer ordinals in CUDA_VISIBLE_DEVICES or pass --egl-device N"
        case .cudaDeviceNotFound(let ordinal, let driver, let available):
            return "CUDA device \(ordinal) (driver ordinal \(driver)) has no EGL device; NVIDIA EGL devices report CUDA ordinals \(available)"
        case .cudaHidesEveryDevice(let cuda):
            return "CUDA_VISIBLE_DEVICES=\"\(cuda)\" hides every GPU but EGL shows NVIDIA devices; give the worker a GPU or pass --egl-device N"
        case .softwareRendererOnHardwareDevice(let device, let vendor, let renderer):
            return "EGL device \(device) is an NVIDIA device but the GL context reports \(vendor) / \(renderer): the driver fell back to software; check the NVIDIA EGL vendor file (10_nvidia.json) and NVIDIA_DRIVER_CAPABILITIES=graphics"
        case .shaderCompile(let name, let log):
            return "shader \(name) failed to compile:\n\(log)"
        case .programLink(let name, let log):
            return "program \(name) failed to link:\n\(log)"
        case .framebufferIncomplete(let name, let status):
            return "framebuffer \(name) is incomplete (\(status)); the GL implementation may not support the requested size or sample count"
        case .glError(let operation, let error):
            return "OpenGL error \(error) during \(operation)"
        case .invalidSize(let width, let height):
            return "frame size \(width)x\(height) is invalid; width and height must be positive and even (H.264 with yuv420p)"
        case .cameraCountMismatch(let cameras, let steps):
            return "\(cameras) cameras given for \(steps) steps; pass one camera per step"
        case .unusableCamera(let frame, let eye, let lookat):
            return "camera of frame \(frame) is unusable: eye \(eye) and lookat \(lookat) must be finite and distinct"
        case .bodyCountMismatch(let rows, let header):
            return "body_q rows hold \(rows) bodies but the rollout header declares \(header)"
        case .missingMesh(let shape, let mesh, let available):
            return "shapes[\(shape)] uses mesh \(mesh) but only \(available) meshes were loaded"
        }
    }
}

extension RenderError: RetryVerdict {
    /// Devices, contexts and GL resources are this worker's (another GPU or driver may work); a
    /// size, camera, body count or mesh the request gives is wrong on every worker.
    public var retryElsewhere: Bool {
        switch self {
        case .eglExtensionMissing, .eglCallFailed, .noUsableDevice, .eglDeviceNotFound, .eglDeviceUnusable,
             .noNVIDIADevice, .cudaOrdinalNotVisible, .cudaUUIDUnmappable, .cudaDeviceNotFound, .cudaHidesEveryDevice,
             .softwareRendererOnHardwareDevice, .shaderCompile, .programLink, .framebufferIncomplete, .glError:
            true
        case .invalidSize, .cameraCountMismatch, .unusableCamera, .bodyCountMismatch, .missingMesh:
            false
        }
    }
}
