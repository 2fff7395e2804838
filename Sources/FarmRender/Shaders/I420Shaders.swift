/// The RGB → I420 pass: BT.709 limited range, as `ColourConverter` (swscale) writes it. The target
/// is one R8 image of width × height·3/2 whose bytes, read back row by row, are the Y plane
/// followed by the U and V planes. Luma and chroma are separate draws so llvmpipe, which runs
/// both sides of a branch, does not fetch chroma taps for every luma sample.
enum I420Shaders {
    /// One screen-covering triangle; the viewport picks the rows a draw writes.
    static let vertex = """
    void main() {
        vec2 ndc = vec2(gl_VertexID == 1 ? 3.0 : -1.0, gl_VertexID == 2 ? 3.0 : -1.0);
        gl_Position = vec4(ndc, 0.0, 1.0);
    }
    """

    static let common = """
    uniform sampler2D u_frame;
    uniform int u_width;
    uniform int u_height;
    out vec4 fragColor;
    const vec3 kLuma = vec3(0.2126, 0.7152, 0.0722);
    """

    /// Rows 0..<height: Y of each pixel (frame row r is texture row r, top first).
    static let luma = common + """
    void main() {
        vec3 rgb = texelFetch(u_frame, ivec2(gl_FragCoord.xy), 0).rgb;
        fragColor = vec4((16.0 + 219.0 * dot(kLuma, rgb)) / 255.0, 0.0, 0.0, 1.0);
    }
    """

    /// Rows height..<height·3/2: the U plane then the V plane, (width/2)·(height/2) samples each,
    /// packed width to a row. swscale's default for rgb24 → yuv420p averages each horizontal pair
    /// and filters vertically with its bicubic (B = 0, C = 0.6) 2:1 kernel centred between the two
    /// rows (8 taps, edge rows repeated); measured on ffmpeg's output, a plain 2×2 mean is off by
    /// up to 10% of an edge's step.
    static let chroma = common + """
    const float kTaps[8] = float[8](-0.0140625, -0.0421875, 0.1203125, 0.4359375,
                                    0.4359375, 0.1203125, -0.0421875, -0.0140625);
    void main() {
        int halfWidth = u_width / 2;
        int planeSize = halfWidth * (u_height / 2);
        int i = (int(gl_FragCoord.y) - u_height) * u_width + int(gl_FragCoord.x);
        bool isV = i >= planeSize;
        int c = isV ? i - planeSize : i;
        ivec2 pair = ivec2(2 * (c % halfWidth), 2 * (c / halfWidth));
        vec3 sum = vec3(0.0);
        for (int k = 0; k < 8; k++) {
            int y = clamp(pair.y - 3 + k, 0, u_height - 1);
            sum += kTaps[k] * (texelFetch(u_frame, ivec2(pair.x, y), 0).rgb
                               + texelFetch(u_frame, ivec2(pair.x + 1, y), 0).rgb);
        }
        vec3 rgb = 0.5 * sum;
        float luma = dot(kLuma, rgb);
        float difference = isV ? (rgb.r - luma) / 1.5748 : (rgb.b - luma) / 1.8556;
        fragColor = vec4((128.0 + 224.0 * difference) / 255.0, 0.0, 0.0, 1.0);
    }
    """
}
