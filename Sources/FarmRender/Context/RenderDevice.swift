import CEGL
import Foundation

/// An EGL display on one device with a current OpenGL 3.3 core context and no surface.
///
/// GL contexts belong to a thread: create a `RenderDevice` on the thread that will render, and make
/// every call on it and on the `ClipRenderer`s built from it from that same thread (the pipeline
/// owns one dedicated render thread). Not `Sendable` for that reason.
public final class RenderDevice {
    public let selection: DeviceSelection
    /// `GL_VENDOR` and `GL_RENDERER` read after making the context current: what actually renders.
    public let vendor: String
    public let renderer: String
    public let glVersion: String
    private let display: EGLDisplay
    private let context: EGLContext

    /// Enumerates the devices, selects one for `request` and opens it.
    public convenience init(request: DeviceRequest = .automatic,
                            cudaVisibleDevices: String? = ProcessInfo.processInfo.environment["CUDA_VISIBLE_DEVICES"]) throws(RenderError) {
        let devices = try EGLDeviceEnumerator.devices()
        try self.init(selection: DeviceSelector.select(devices: devices, request: request,
                                                       cudaVisibleDevices: cudaVisibleDevices))
    }

    public init(selection: DeviceSelection) throws(RenderError) {
        let egl = try EGLEntryPoints.load()
        let handles = try egl.deviceHandles()
        guard selection.device.index < handles.count else {
            throw .eglDeviceNotFound(index: selection.device.index, available: Array(handles.indices))
        }
        guard let display = egl.getPlatformDisplay(EGLenum(EGL_PLATFORM_DEVICE_EXT), handles[selection.device.index], nil) else {
            throw .eglCallFailed(function: "eglGetPlatformDisplayEXT(EGL_PLATFORM_DEVICE_EXT, device \(selection.device.index))",
                                 error: EGLErrorName.last())
        }
        try DisplayUsers.shared.retain(display)
        // From here on every exit path gives the display back, so the last user terminates it.
        var opened = false
        defer { if !opened { DisplayUsers.shared.release(display) } }
        guard eglBindAPI(EGLenum(EGL_OPENGL_API)) == EGL_TRUE else {
            throw .eglCallFailed(function: "eglBindAPI(EGL_OPENGL_API)", error: EGLErrorName.last())
        }
        let config = try Self.chooseConfig(display)
        let contextAttributes: [EGLint] = [
            EGL_CONTEXT_MAJOR_VERSION, 3, EGL_CONTEXT_MINOR_VERSION, 3,
            EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT, EGL_NONE,
        ]
        guard let context = eglCreateContext(display, config, nil, contextAttributes) else {
            throw .eglCallFailed(function: "eglCreateContext(OpenGL 3.3 core)", error: EGLErrorName.last())
        }
        // No surface: rendering goes to framebuffer objects (EGL_KHR_surfaceless_context).
        guard eglMakeCurrent(display, nil, nil, context) == EGL_TRUE else {
            let error = EGLErrorName.last()
            eglDestroyContext(display, context)
            throw .eglCallFailed(function: "eglMakeCurrent(surfaceless)", error: error)
        }
        self.selection = selection
        self.display = display
        self.context = context
        opened = true
        self.vendor = Self.glString(GL_VENDOR)
        self.renderer = Self.glString(GL_RENDERER)
        self.glVersion = Self.glString(GL_VERSION)
        if selection.device.kind == .nvidia, !vendor.localizedCaseInsensitiveContains("nvidia") {
            throw .softwareRendererOnHardwareDevice(device: selection.device.index, vendor: vendor, renderer: renderer)
        }
    }

    /// Tears down in EGL's order, on the thread that rendered: unbind, destroy the context, let the
    /// last user of the display terminate it (which stops Mesa's llvmpipe rasteriser threads), and
    /// release this thread's EGL state, so nothing of EGL's is left for exit-time destructors.
    deinit {
        if eglGetCurrentContext() == context {
            eglMakeCurrent(display, nil, nil, nil)
        }
        eglDestroyContext(display, context)
        DisplayUsers.shared.release(display)
        // Another device's context may still be current here (tests open several on one thread).
        if eglGetCurrentContext() == nil {
            eglReleaseThread()
        }
    }

    /// True when the CPU rasterises (Mesa llvmpipe/softpipe), whatever device was asked for.
    public var isSoftwareRasterizer: Bool {
        selection.device.kind == .software || ["llvmpipe", "softpipe", "swrast"].contains { renderer.contains($0) }
    }

    /// Makes this device's context current on the calling thread (needed only when one thread
    /// alternates between devices).
    public func makeCurrent() throws(RenderError) {
        guard eglMakeCurrent(display, nil, nil, context) == EGL_TRUE else {
            throw .eglCallFailed(function: "eglMakeCurrent", error: EGLErrorName.last())
        }
    }

    private static func chooseConfig(_ display: EGLDisplay) throws(RenderError) -> EGLConfig? {
        // Colour buffers are framebuffer objects, so the config only needs to allow an OpenGL context;
        // pbuffer-capable configs are asked for first because every vendor offers them.
        for surfaceType in [EGL_PBUFFER_BIT, -1 /* EGL_DONT_CARE */] {
            let attributes: [EGLint] = [EGL_SURFACE_TYPE, surfaceType, EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT,
                                        EGL_RED_SIZE, 8, EGL_GREEN_SIZE, 8, EGL_BLUE_SIZE, 8, EGL_NONE]
            var config: EGLConfig?
            var count: EGLint = 0
            if eglChooseConfig(display, attributes, &config, 1, &count) == EGL_TRUE, count > 0 {
                return config
            }
        }
        throw .eglCallFailed(function: "eglChooseConfig(OpenGL, RGB8)", error: EGLErrorName.last())
    }

    private static func glString(_ name: Int32) -> String {
        glGetString(GLenum(name)).map { String(cString: $0) } ?? "unknown"
    }
}
