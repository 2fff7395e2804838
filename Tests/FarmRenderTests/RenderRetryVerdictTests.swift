import FarmCore
import FarmRender
import Testing

/// Device, driver and GL trouble may not recur on another worker; a request's size, cameras, bodies
/// or meshes are wrong everywhere.
@Suite struct RenderRetryVerdictTests {
    @Test func deviceTroubleIsRetriedElsewhereAndBadInputsAreNot() {
        let table: [(RenderError, Bool)] = [
            (.eglExtensionMissing("EGL_EXT_device_enumeration"), true),
            (.eglCallFailed(function: "eglInitialize", error: "EGL_NOT_INITIALIZED"), true),
            (.noUsableDevice(count: 2), true),
            (.eglDeviceNotFound(index: 3, available: [0, 1]), true),
            (.eglDeviceUnusable(index: 1, reason: "x"), true),
            (.noNVIDIADevice(request: "--cuda-device 0", cudaVisibleDevices: nil), true),
            (.cudaOrdinalNotVisible(ordinal: 2, cudaVisibleDevices: "0", visibleCount: 1), true),
            (.cudaUUIDUnmappable(uuid: "GPU-1", nvidiaDevices: [0]), true),
            (.cudaDeviceNotFound(ordinal: 0, driverOrdinal: 1, available: [0]), true),
            (.cudaHidesEveryDevice(cudaVisibleDevices: ""), true),
            (.softwareRendererOnHardwareDevice(device: 0, vendor: "Mesa", renderer: "llvmpipe"), true),
            (.shaderCompile(name: "scene", log: "x"), true),
            (.programLink(name: "scene", log: "x"), true),
            (.framebufferIncomplete(name: "msaa", status: "x"), true),
            (.glError(operation: "glReadPixels", error: "GL_OUT_OF_MEMORY"), true),
            (.invalidSize(width: 0, height: 720), false),
            (.cameraCountMismatch(cameras: 2, steps: 3), false),
            (.unusableCamera(frame: 0, eye: Vec3(0, 0, 0), lookat: Vec3(0, 0, 0)), false),
            (.bodyCountMismatch(rows: 3, header: 4), false),
            (.missingMesh(shape: 0, mesh: 2, available: 1), false),
        ]
        for (error, verdict) in table {
            #expect(retryElsewhere(after: error) == verdict, "\(error)")
        }
    }
}
