import CEGL

/// Lists the EGL devices this process can see. Each device's extension string is read before any
/// attribute (old NVIDIA drivers crash on attribute queries of cgroup-hidden GPUs), and a device whose
/// queries fail is kept in the list, marked, so `farm-worker devices` can show it.
public enum EGLDeviceEnumerator {
    public static func devices() throws(RenderError) -> [EGLDeviceInfo] {
        let egl = try EGLEntryPoints.load()
        return try egl.deviceHandles().enumerated().map { index, handle in describe(handle, index: index, egl: egl) }
    }

    static func describe(_ handle: EGLDeviceEXT?, index: Int, egl: EGLEntryPoints) -> EGLDeviceInfo {
        guard let raw = egl.queryDeviceString(handle, EGL_EXTENSIONS) else {
            return EGLDeviceInfo(index: index, kind: .other,
                                 queryFailure: "eglQueryDeviceStringEXT(EGL_EXTENSIONS) failed: \(EGLErrorName.last())")
        }
        let extensions = String(cString: raw).split(separator: " ").map(String.init)
        var info = EGLDeviceInfo(index: index, kind: EGLDeviceInfo.kind(forExtensions: extensions), extensions: extensions)
        if extensions.contains("EGL_NV_device_cuda") {
            var value: EGLAttrib = 0
            if egl.queryDeviceAttrib(handle, EGL_CUDA_DEVICE_NV, &value) == EGL_TRUE {
                info.cudaOrdinal = Int(value)
            } else {
                info.queryFailure = "eglQueryDeviceAttribEXT(EGL_CUDA_DEVICE_NV) failed: \(EGLErrorName.last())"
            }
        }
        if extensions.contains("EGL_EXT_device_drm"), let path = egl.queryDeviceString(handle, EGL_DRM_DEVICE_FILE_EXT) {
            info.drmPath = String(cString: path)
        }
        return info
    }
}
