import Testing
@testable import FarmRender

private func nvidia(_ index: Int, cuda: Int) -> EGLDeviceInfo {
    EGLDeviceInfo(index: index, kind: .nvidia, cudaOrdinal: cuda, drmPath: "/dev/dri/card\(index)",
                  extensions: ["EGL_NV_device_cuda", "EGL_EXT_device_drm"])
}
private func software(_ index: Int) -> EGLDeviceInfo {
    EGLDeviceInfo(index: index, kind: .software, extensions: ["EGL_MESA_device_software"])
}
private func mesaGPU(_ index: Int) -> EGLDeviceInfo {
    EGLDeviceInfo(index: index, kind: .other, drmPath: "/dev/dri/card0", extensions: ["EGL_EXT_device_drm"])
}
private func broken(_ index: Int) -> EGLDeviceInfo {
    EGLDeviceInfo(index: index, kind: .other, queryFailure: "eglQueryDeviceStringEXT(EGL_EXTENSIONS) failed: EGL_BAD_DEVICE_EXT")
}

/// EGL lists GPUs in an order unrelated to CUDA's (mujoco#3245).
private let shuffledNodes = [nvidia(0, cuda: 2), nvidia(1, cuda: 0), nvidia(2, cuda: 3), nvidia(3, cuda: 1), software(4)]

struct DeviceSelectorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let devices: [EGLDeviceInfo]
        let request: DeviceRequest
        let cuda: String?
        let expectedIndex: Int
        let expectWarning: String?
        var testDescription: String { name }
    }

    static let selections: [Case] = [
        Case(name: "software only: software with a warning", devices: [software(0)], request: .automatic, cuda: nil,
             expectedIndex: 0, expectWarning: "software rasteriser"),
        Case(name: "NVIDIA present, nothing visible set: lowest CUDA ordinal", devices: shuffledNodes,
             request: .automatic, cuda: nil, expectedIndex: 1, expectWarning: nil),
        Case(name: "automatic follows CUDA_VISIBLE_DEVICES, not EGL order", devices: shuffledNodes,
             request: .automatic, cuda: "3", expectedIndex: 2, expectWarning: nil),
        Case(name: "--cuda-device counts within CUDA_VISIBLE_DEVICES", devices: shuffledNodes,
             request: .cudaDevice(1), cuda: "2,1", expectedIndex: 3, expectWarning: nil),
        Case(name: "--cuda-device without CUDA_VISIBLE_DEVICES is the driver ordinal", devices: shuffledNodes,
             request: .cudaDevice(2), cuda: nil, expectedIndex: 0, expectWarning: nil),
        Case(name: "--egl-device is the raw index", devices: shuffledNodes, request: .eglDevice(2), cuda: "0",
             expectedIndex: 2, expectWarning: nil),
        Case(name: "a device whose queries fail is skipped", devices: [broken(0), nvidia(1, cuda: 0), software(2)],
             request: .automatic, cuda: "0", expectedIndex: 1, expectWarning: "EGL device 0 skipped"),
        Case(name: "hardware Mesa device before software", devices: [software(0), mesaGPU(1)], request: .automatic,
             cuda: nil, expectedIndex: 1, expectWarning: nil),
        Case(name: "hidden GPUs on a CPU node: software", devices: [software(0)], request: .automatic, cuda: "",
             expectedIndex: 0, expectWarning: "software rasteriser"),
        Case(name: "one NVIDIA device named by UUID", devices: [nvidia(0, cuda: 5), software(1)], request: .automatic,
             cuda: "GPU-8a3c7e1f", expectedIndex: 0, expectWarning: "GPU-8a3c7e1f"),
        Case(name: "explicit --egl-device of software beside NVIDIA warns", devices: shuffledNodes,
             request: .eglDevice(4), cuda: nil, expectedIndex: 4, expectWarning: "software rasteriser although"),
    ]

    @Test(arguments: selections)
    func selects(_ c: Case) throws {
        let selection = try DeviceSelector.select(devices: c.devices, request: c.request, cudaVisibleDevices: c.cuda)
        #expect(selection.device.index == c.expectedIndex)
        if let warning = c.expectWarning {
            #expect(selection.warnings.contains { $0.contains(warning) }, "warnings: \(selection.warnings)")
        } else {
            #expect(selection.warnings.isEmpty)
        }
    }

    struct Refusal: CustomTestStringConvertible, Sendable {
        let name: String
        let devices: [EGLDeviceInfo]
        let request: DeviceRequest
        let cuda: String?
        let expected: RenderError
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(name: "GPU asked for, only software present: never a silent fall back", devices: [software(0)],
                request: .cudaDevice(0), cuda: "0", expected: .noNVIDIADevice(request: "--cuda-device 0", cudaVisibleDevices: "0")),
        Refusal(name: "GPUs visible to CUDA but not to EGL (missing graphics capability)", devices: [software(0)],
                request: .automatic, cuda: "1", expected: .noNVIDIADevice(request: "automatic", cudaVisibleDevices: "1")),
        Refusal(name: "CUDA ordinal with no EGL device", devices: shuffledNodes, request: .automatic, cuda: "7",
                expected: .cudaDeviceNotFound(ordinal: 0, driverOrdinal: 7, available: [2, 0, 3, 1])),
        Refusal(name: "ordinal beyond CUDA_VISIBLE_DEVICES", devices: shuffledNodes, request: .cudaDevice(2), cuda: "0,1",
                expected: .cudaOrdinalNotVisible(ordinal: 2, cudaVisibleDevices: "0,1", visibleCount: 2)),
        Refusal(name: "NVIDIA present but CUDA_VISIBLE_DEVICES hides all", devices: shuffledNodes, request: .automatic,
                cuda: "", expected: .cudaHidesEveryDevice(cudaVisibleDevices: "")),
        Refusal(name: "UUID with several NVIDIA devices", devices: shuffledNodes, request: .automatic, cuda: "GPU-1234",
                expected: .cudaUUIDUnmappable(uuid: "GPU-1234", nvidiaDevices: [0, 1, 2, 3])),
        Refusal(name: "--egl-device out of range", devices: [software(0)], request: .eglDevice(3), cuda: nil,
                expected: .eglDeviceNotFound(index: 3, available: [0])),
        Refusal(name: "--egl-device whose queries failed", devices: [broken(0), software(1)], request: .eglDevice(0),
                cuda: nil, expected: .eglDeviceUnusable(index: 0, reason: "eglQueryDeviceStringEXT(EGL_EXTENSIONS) failed: EGL_BAD_DEVICE_EXT")),
        Refusal(name: "nothing usable", devices: [broken(0)], request: .automatic, cuda: nil,
                expected: .noUsableDevice(count: 1)),
    ]

    @Test(arguments: refusals)
    func refuses(_ r: Refusal) {
        #expect(throws: r.expected) {
            try DeviceSelector.select(devices: r.devices, request: r.request, cudaVisibleDevices: r.cuda)
        }
    }

    @Test func parsesCUDAVisibleDevicesLikeCUDA() {
        #expect(CUDAVisibleDevices(nil).entries == nil)
        #expect(CUDAVisibleDevices("").hidesEveryDevice)
        #expect(CUDAVisibleDevices("-1").hidesEveryDevice)
        #expect(CUDAVisibleDevices("3, 1").entries == [.ordinal(3), .ordinal(1)])
        // CUDA stops at the first invalid entry.
        #expect(CUDAVisibleDevices("2,x,0").entries == [.ordinal(2)])
        #expect(CUDAVisibleDevices("MIG-abc").entries == [.uuid("MIG-abc")])
    }

    @Test func classifiesByExtensions() {
        #expect(EGLDeviceInfo.kind(forExtensions: ["EGL_EXT_device_drm", "EGL_NV_device_cuda"]) == .nvidia)
        #expect(EGLDeviceInfo.kind(forExtensions: ["EGL_MESA_device_software"]) == .software)
        #expect(EGLDeviceInfo.kind(forExtensions: ["EGL_EXT_device_drm"]) == .other)
    }

    @Test func refusalsSayWhatToDo() {
        let message = RenderError.noNVIDIADevice(request: "automatic", cudaVisibleDevices: "1").description
        #expect(message.contains("NVIDIA_DRIVER_CAPABILITIES"))
        #expect(message.contains("--egl-device"))
    }
}
