/// GLSL 3.30 core sources. The scene fragment shader is compiled once per look with `LOOK_NEWTON`
/// or `LOOK_KIT` defined; every constant a look needs arrives as a uniform (see `Look`).
enum SceneShaders {
    /// The vertex inputs of instanced shapes (`GPUBatch`'s layout) and the quaternion rotation that
    /// places them: unit geometry scaled, rotated and translated per instance. Every vertex shader of
    /// shapes starts with it.
    static let instanceInputs = """
    layout(location = 0) in vec3 aPos;
    layout(location = 1) in vec3 aNormal;
    layout(location = 2) in vec3 iPos;
    layout(location = 3) in vec4 iRot;
    layout(location = 4) in vec3 iScale;
    layout(location = 5) in vec3 iColor;

    vec3 rotate(vec4 q, vec3 v) {
        vec3 t = 2.0 * cross(q.xyz, v);
        return v + q.w * t + cross(q.xyz, t);
    }

    """

    /// Instanced shapes, lit: the instance colour is the albedo.
    static let vertex = instanceInputs + """
    uniform mat4 u_viewProj;
    uniform mat4 u_lightViewProj;
    uniform float u_normalBias;

    out vec3 vWorld;
    out vec3 vNormal;
    out vec2 vPlane;
    out vec3 vAlbedo;
    out vec3 vLightCoord;

    void main() {
        vec3 local = aPos * iScale;
        vec3 world = iPos + rotate(iRot, local);
        vec3 normal = normalize(rotate(iRot, aNormal / iScale));
        vWorld = world;
        vNormal = normal;
        vPlane = local.xy;
        vAlbedo = iColor;
        // Normal-offset shadow lookup (orthographic light: w == 1, interpolates exactly).
        vLightCoord = (u_lightViewProj * vec4(world + normal * u_normalBias, 1.0)).xyz * 0.5 + 0.5;
        gl_Position = u_viewProj * vec4(world, 1.0);
    }
    """

    /// Shared by the full and the cached-ground fragment shaders.
    static let shadow = """
    uniform sampler2DShadow u_shadowMap;
    // Half spacing of the 2x2 tap grid in map coordinates (LOOK_NEWTON).
    uniform float u_shadowFilter;

    // Fraction of sunlight blocked, faded out near the map's edges instead of cutting off.
    // Kit: one bilinear depth-compare tap (2x2 PCF). Newton: a 2x2 grid of bilinear taps, a tent
    // filter whose result varies continuously across texels, so edges seen up close are smooth ramps
    // rather than the map's texel stair steps (Newton blurs them with 16 rotated Poisson taps).
    float shadowAmount(vec3 p, float ndotl) {
        if (p.z >= 1.0 || p.x <= 0.0 || p.x >= 1.0 || p.y <= 0.0 || p.y >= 1.0) return 0.0;
        float depth = p.z - mix(0.0004, 0.00005, ndotl);
    #ifdef LOOK_NEWTON
        float r = u_shadowFilter;
        float lit = 0.25 * (textureLod(u_shadowMap, vec3(p.xy + vec2(-r, -r), depth), 0.0)
                          + textureLod(u_shadowMap, vec3(p.xy + vec2(r, -r), depth), 0.0)
                          + textureLod(u_shadowMap, vec3(p.xy + vec2(-r, r), depth), 0.0)
                          + textureLod(u_shadowMap, vec3(p.xy + vec2(r, r), depth), 0.0));
    #else
        float lit = textureLod(u_shadowMap, vec3(p.xy, depth), 0.0);
    #endif
        vec2 edge = smoothstep(0.0, 0.15, p.xy) * smoothstep(0.0, 0.15, 1.0 - p.xy);
        return (1.0 - lit) * edge.x * edge.y;
    }

    """

    static let fragment = shadow + """
    in vec3 vWorld;
    in vec3 vNormal;
    in vec2 vPlane;
    in vec3 vAlbedo;
    in vec3 vLightCoord;
    out vec4 fragColor;

    uniform vec3 u_eye;
    uniform vec3 u_sunDir;
    uniform vec3 u_lightColor;
    uniform float u_lightIntensity;
    uniform vec3 u_ambientSky;
    uniform vec3 u_ambientGround;
    uniform float u_ambientScale;
    uniform float u_roughness;
    uniform float u_exposure;
    uniform vec3 u_fogColor;
    uniform vec2 u_fogRange;
    uniform bool u_ground;
    uniform vec3 u_gridColor;
    uniform float u_gridHalfWidth;
    // < 0: sample the shadow map; 0 or 1: fully lit or fully shadowed (for the ground cache).
    uniform float u_shadowMode;
    // Newton's spotlight: (distance, cos outer, cos inner); see `Spotlight`.
    uniform vec3 u_spotlight;

    const float PI = 3.14159265359;

    // Cook-Torrance GGX with Schlick Fresnel (dielectric, F0 = 0.04), returns (diffuse + specular).
    vec3 brdf(vec3 albedo, vec3 N, vec3 V, vec3 L, float ndotl) {
        vec3 H = normalize(V + L);
        float ndoth = max(dot(N, H), 0.0);
        float ndotv = max(dot(N, V), 0.001);
        float hdotv = max(dot(H, V), 0.0);
        float a = u_roughness * u_roughness;
        float a2 = a * a;
        float d = ndoth * ndoth * (a2 - 1.0) + 1.0;
        float D = a2 / (PI * d * d);
        float k = (u_roughness + 1.0) * (u_roughness + 1.0) / 8.0;
        float G = ndotv / (ndotv * (1.0 - k) + k) * ndotl / (ndotl * (1.0 - k) + k);
        float fMax = mix(0.04, 1.0, 1.0 - u_roughness);
        float f = 1.0 - hdotv;
        float F = 0.04 + (fMax - 0.04) * (f * f) * (f * f) * f;
        float spec = D * G * F / (4.0 * ndotv * ndotl + 0.0001);
        return (1.0 - F) * albedo / PI + vec3(spec);
    }

    #ifdef LOOK_NEWTON
    // Box-filtered 1 m checker (antialiased by the pixel footprint).
    vec2 bump(vec2 x) { return floor(x / 2.0) + 2.0 * max(x / 2.0 - floor(x / 2.0) - 0.5, 0.0); }
    float checker(vec2 uv) {
        vec2 fw = max(abs(dFdx(uv)), abs(dFdy(uv)));
        float w = max(max(fw.x, fw.y), 1e-4);
        vec2 i = (bump(uv + 0.5 * w) - bump(uv - 0.5 * w)) / w;
        return i.x * i.y + (1.0 - i.x) * (1.0 - i.y);
    }
    #endif

    #ifdef LOOK_KIT
    // 1 m grid lines of fixed world width, widened and faded by the pixel footprint.
    float gridLine(vec2 p) {
        vec2 fw = fwidth(p);
        vec2 d = abs(fract(p - 0.5) - 0.5);
        vec2 m = 1.0 - smoothstep(vec2(u_gridHalfWidth) - fw, vec2(u_gridHalfWidth) + fw, d);
        float fade = 1.0 - smoothstep(0.15, 0.5, max(fw.x, fw.y));
        return max(m.x, m.y) * fade;
    }
    vec3 linearToSRGB(vec3 c) {
        return mix(c * 12.92, 1.055 * pow(c, vec3(1.0 / 2.4)) - 0.055, step(vec3(0.0031308), c));
    }
    #endif

    void main() {
        vec3 N = normalize(vNormal);
        if (!gl_FrontFacing) N = -N;
        vec3 V = normalize(u_eye - vWorld);
        vec3 L = u_sunDir;
        vec3 albedo = vAlbedo;
    #ifdef LOOK_NEWTON
        if (u_ground) albedo = mix(albedo, albedo * 0.7, checker(vPlane));
    #else
        if (u_ground) albedo = mix(albedo, u_gridColor, gridLine(vPlane));
    #endif
        float ndotl = max(dot(N, L), 0.0);
        vec3 direct = vec3(0.0);
        if (ndotl > 0.0) {
            direct = brdf(albedo, N, V, L, ndotl) * u_lightColor * (ndotl * u_lightIntensity)
                   * (1.0 - (u_shadowMode < 0.0 ? shadowAmount(vLightCoord, ndotl) : u_shadowMode));
    #ifdef LOOK_NEWTON
            vec3 toSpot = normalize(L * u_spotlight.x - (vWorld - u_eye));
            direct *= smoothstep(u_spotlight.y, u_spotlight.z, dot(L, toSpot));
    #endif
        }
        float skyFactor = N.z * 0.5 + 0.5;
        vec3 ambient = mix(u_ambientGround, u_ambientSky, skyFactor) * albedo * u_ambientScale;
    #ifdef LOOK_NEWTON
        // Newton weights the ambient by the Fresnel of the view angle.
        float fv = 1.0 - max(dot(N, V), 0.001);
        float fMax = mix(0.04, 1.0, 1.0 - u_roughness);
        vec3 color = ambient * (1.0 - (0.04 + (fMax - 0.04) * (fv * fv) * (fv * fv) * fv)) + direct;
        float fog = clamp((length(vWorld - u_eye) - u_fogRange.x) / (u_fogRange.y - u_fogRange.x), 0.0, 1.0);
        color = mix(color, u_fogColor, fog);
        vec3 x = color * u_exposure;
        color = clamp((x * (2.51 * x + 0.03)) / (x * (2.43 * x + 0.59) + 0.14), 0.0, 1.0);
        fragColor = vec4(pow(color, vec3(1.0 / 2.2)), 1.0);
    #else
        vec3 color = ambient + direct;
        fragColor = vec4(linearToSRGB(clamp(color * u_exposure, 0.0, 1.0)), 1.0);
    #endif
    }
    """
}

/// Static ground planes while the camera holds still: their shading (pattern, lighting, fog, tone
/// mapping) does not change, so it is rendered once fully lit and once fully shadowed, and each frame
/// only looks up the shadow map and blends the two. With `WITHOUT_SHADOW_LOOKUP` it draws the lit
/// image alone, for ground outside every shadow footprint (`ShadowFootprints`).
enum CachedGroundShaders {
    static let fragment = SceneShaders.shadow + """
    in vec3 vNormal;
    in vec3 vLightCoord;
    out vec4 fragColor;
    uniform vec3 u_sunDir;
    uniform sampler2D u_litGround;
    uniform sampler2D u_shadowedGround;

    void main() {
        ivec2 pixel = ivec2(gl_FragCoord.xy);
        vec3 lit = texelFetch(u_litGround, pixel, 0).rgb;
        vec3 shadowed = texelFetch(u_shadowedGround, pixel, 0).rgb;
        float ndotl = max(dot(normalize(vNormal), u_sunDir), 0.0);
    #ifdef WITHOUT_SHADOW_LOOKUP
        fragColor = vec4(lit, 1.0);
    #else
        fragColor = vec4(mix(lit, shadowed, shadowAmount(vLightCoord, ndotl)), 1.0);
    #endif
    }
    """
}

/// The background, drawn after the shapes as one triangle covering the screen at the far plane, so
/// only pixels no shape covers are shaded.
enum SkyShaders {
    static let vertex = """
    uniform vec3 u_ray00;
    uniform vec3 u_ray10;
    uniform vec3 u_ray01;
    out vec3 vRay;

    void main() {
        vec2 ndc = vec2(gl_VertexID == 1 ? 3.0 : -1.0, gl_VertexID == 2 ? 3.0 : -1.0);
        vec2 t = ndc * 0.5 + 0.5;
        vRay = u_ray00 + t.x * (u_ray10 - u_ray00) + t.y * (u_ray01 - u_ray00);
        gl_Position = vec4(ndc, 1.0, 1.0);
    }
    """

    static let fragment = """
    in vec3 vRay;
    out vec4 fragColor;
    uniform vec3 u_skyUpper;
    uniform vec3 u_skyLower;
    uniform vec3 u_sunDir;
    uniform float u_sunGlow;

    void main() {
        vec3 d = normalize(vRay);
        vec3 sky = mix(u_skyLower, u_skyUpper, max(d.z, 0.0));
        float s = max(dot(u_sunDir, d), 0.0);
        float s2 = s * s; float s4 = s2 * s2; float s8 = s4 * s4; float s16 = s8 * s8;
        sky += (s16 * s16) * vec3(1.0, 0.8, 0.6) * u_sunGlow;
        fragColor = vec4(sky, 1.0);
    }
    """
}

/// Depth only, from the sun.
enum ShadowShaders {
    static let vertex = SceneShaders.instanceInputs + """
    uniform mat4 u_lightViewProj;

    void main() {
        gl_Position = u_lightViewProj * vec4(iPos + rotate(iRot, aPos * iScale), 1.0);
    }
    """

    static let fragment = """
    void main() {}
    """
}
