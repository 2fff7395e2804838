/// GLSL 3.30 core sources of the camera-sensor outputs (`SensorScenePass`), compiled once per
/// output with `SENSOR_DEPTH`, `SENSOR_NORMALS` or `SENSOR_SEGMENTATION` defined. Each writes the
/// colour Isaac Lab 3.0.0's `CameraFrameColorizer` (`isaaclab/envs/utils/camera_colorizer.py`)
/// gives the raw sensor value, as exact bytes (v / 255 stores v in an RGBA8 target): no lighting,
/// fog, tone mapping or blending.
enum SensorShaders {
    /// Instanced shapes (`SceneShaders.instanceInputs`); the instance colour is the segmentation colour.
    static let vertex = SceneShaders.instanceInputs + """
    uniform mat4 u_viewProj;
    uniform vec3 u_eye;
    // Unit view direction: eye-space depth is the distance along it.
    uniform vec3 u_forward;

    out vec3 vNormal;
    out float vDepth;
    flat out vec3 vColor;

    void main() {
        vec3 world = iPos + rotate(iRot, aPos * iScale);
        vNormal = rotate(iRot, aNormal / iScale);
        vDepth = dot(world - u_eye, u_forward);
        vColor = iColor;
        gl_Position = u_viewProj * vec4(world, 1.0);
    }
    """

    static let fragment = """
    in vec3 vNormal;
    in float vDepth;
    flat in vec3 vColor;
    out vec4 fragColor;

    #ifdef SENSOR_DEPTH
    // TurboColormap's 256 entries as a 256x1 RGBA8 texture.
    uniform sampler2D u_turbo;
    // (depth_colormap_min, max(depth_colormap_max - min, 1e-6)), metres.
    uniform vec2 u_depthRange;
    #endif

    void main() {
    #if defined(SENSOR_DEPTH)
        // distance_to_image_plane, normalised and clipped, then matplotlib's ListedColormap
        // lookup: entry int(norm * 256), 1.0 being the last.
        float norm = clamp((vDepth - u_depthRange.x) / u_depthRange.y, 0.0, 1.0);
        int index = min(int(norm * 256.0), 255);
        fragColor = vec4(texelFetch(u_turbo, ivec2(index, 0), 0).rgb, 1.0);
    #elif defined(SENSOR_NORMALS)
        // World-frame unit normal, uint8(clip((n + 1) * 127.5, 0, 255)) per component.
        vec3 n = normalize(vNormal);
        fragColor = vec4(floor(clamp((n + 1.0) * 127.5, 0.0, 255.0)) / 255.0, 1.0);
    #else
        fragColor = vec4(vColor, 1.0);
    #endif
    }
    """
}
