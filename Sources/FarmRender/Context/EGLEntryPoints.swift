import CEGL

/// The EGL extension functions the farm needs, loaded once with `eglGetProcAddress` (they are not
/// exported by libEGL on every vendor, so linking them directly is not portable).
struct EGLEntryPoints {
    let queryDevices: PFNEGLQUERYDEVICESEXTPROC
    let queryDeviceString: PFNEGLQUERYDEVICESTRINGEXTPROC
    let queryDeviceAttrib: PFNEGLQUERYDEVICEATTRIBEXTPROC
    let getPlatformDisplay: PFNEGLGETPLATFORMDISPLAYEXTPROC

    static func load() throws(RenderError) -> EGLEntryPoints {
        let clientExtensions = eglQueryString(nil, EGL_EXTENSIONS).map { String(cString: $0) } ?? ""
        let names = Set(clientExtensions.split(separator: " ").map(String.init))
        for required in ["EGL_EXT_device_enumeration", "EGL_EXT_device_query", "EGL_EXT_platform_device"]
        where !names.contains(required) && !(required != "EGL_EXT_platform_device" && names.contains("EGL_EXT_device_base")) {
            throw .eglExtensionMissing(required)
        }
        let queryDevices = unsafeBitCast(try address("eglQueryDevicesEXT"), to: PFNEGLQUERYDEVICESEXTPROC.self)
        let queryDeviceString = unsafeBitCast(try address("eglQueryDeviceStringEXT"), to: PFNEGLQUERYDEVICESTRINGEXTPROC.self)
        let queryDeviceAttrib = unsafeBitCast(try address("eglQueryDeviceAttribEXT"), to: PFNEGLQUERYDEVICEATTRIBEXTPROC.self)
        let getPlatformDisplay = unsafeBitCast(try address("eglGetPlatformDisplayEXT"), to: PFNEGLGETPLATFORMDISPLAYEXTPROC.self)
        return EGLEntryPoints(queryDevices: queryDevices, queryDeviceString: queryDeviceString,
                              queryDeviceAttrib: queryDeviceAttrib, getPlatformDisplay: getPlatformDisplay)
    }

    private static func address(_ name: String) throws(RenderError) -> __eglMustCastToProperFunctionPointerType {
        guard let pointer = eglGetProcAddress(name) else { throw .eglExtensionMissing(name) }
        return pointer
    }

    /// Every device handle, in EGL's order.
    func deviceHandles() throws(RenderError) -> [EGLDeviceEXT?] {
        var count: EGLint = 0
        guard queryDevices(0, nil, &count) == EGL_TRUE else {
            throw .eglCallFailed(function: "eglQueryDevicesEXT", error: EGLErrorName.last())
        }
        var handles = [EGLDeviceEXT?](repeating: nil, count: Int(count))
        guard queryDevices(count, &handles, &count) == EGL_TRUE else {
            throw .eglCallFailed(function: "eglQueryDevicesEXT", error: EGLErrorName.last())
        }
        return Array(handles.prefix(Int(count)))
    }
}

/// EGL error codes by name, for messages.
enum EGLErrorName {
    static func last() -> String { name(eglGetError()) }

    static func name(_ code: EGLint) -> String {
        let names: [EGLint: String] = [
            EGL_SUCCESS: "EGL_SUCCESS", EGL_NOT_INITIALIZED: "EGL_NOT_INITIALIZED", EGL_BAD_ACCESS: "EGL_BAD_ACCESS",
            EGL_BAD_ALLOC: "EGL_BAD_ALLOC", EGL_BAD_ATTRIBUTE: "EGL_BAD_ATTRIBUTE", EGL_BAD_CONFIG: "EGL_BAD_CONFIG",
            EGL_BAD_CONTEXT: "EGL_BAD_CONTEXT", EGL_BAD_CURRENT_SURFACE: "EGL_BAD_CURRENT_SURFACE",
            EGL_BAD_DISPLAY: "EGL_BAD_DISPLAY", EGL_BAD_MATCH: "EGL_BAD_MATCH",
            EGL_BAD_NATIVE_PIXMAP: "EGL_BAD_NATIVE_PIXMAP", EGL_BAD_NATIVE_WINDOW: "EGL_BAD_NATIVE_WINDOW",
            EGL_BAD_PARAMETER: "EGL_BAD_PARAMETER", EGL_BAD_SURFACE: "EGL_BAD_SURFACE",
            EGL_CONTEXT_LOST: "EGL_CONTEXT_LOST", EGL_BAD_DEVICE_EXT: "EGL_BAD_DEVICE_EXT",
        ]
        return names[code] ?? "EGL error 0x\(String(code, radix: 16))"
    }
}
