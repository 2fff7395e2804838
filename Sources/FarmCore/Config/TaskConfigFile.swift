/// `configs/tasks/<task>.yaml`, one task per file:
/// ```yaml
/// task: Isaac-Cartpole-v0
/// workflow: rl_games
/// step_dt: 0.016666666666666666
/// num_envs: 4096
/// env_spacing: 4.0
/// resolution: {width: 1280, height: 720}
/// viewer: {eye: [8.0, 0.0, 5.0], lookat: [0.0, 0.0, 0.0], origin_type: world}
/// ```
/// Only `task` and `viewer` are required; resolution defaults to 1280×720 and origin_type to world.
enum TaskConfigFile {
    static func parse(_ text: String, file: String) throws(ConfigError) -> TaskConfig {
        let root = try YAMLValue.parse(text, file: file)
        let top = try root.mapping(allowedKeys: [
            "task", "workflow", "step_dt", "num_envs", "env_spacing", "resolution", "viewer",
        ])
        let viewerNode = try top.required("viewer", in: root)
        let viewerFields = try viewerNode.mapping(allowedKeys: ["eye", "lookat", "origin_type"])
        var origin = OriginType.world
        if let originNode = viewerFields["origin_type"] {
            let text = try originNode.string()
            guard let parsed = OriginType(rawValue: text) else {
                throw originNode.fail("unknown origin_type '\(text)'; expected one of "
                    + OriginType.allCases.map(\.rawValue).joined(separator: ", "))
            }
            origin = parsed
        }
        var size = FrameSize.recorderDefault
        if let resolution = top["resolution"] {
            let fields = try resolution.mapping(allowedKeys: ["width", "height"])
            size = FrameSize(width: try fields.required("width", in: resolution).int(),
                             height: try fields.required("height", in: resolution).int())
        }
        let task = TaskConfig(
            name: try top.required("task", in: root).string(),
            viewer: ViewerConfig(eye: try viewerFields.required("eye", in: viewerNode).vec3(),
                                 lookat: try viewerFields.required("lookat", in: viewerNode).vec3(),
                                 originType: origin),
            frameSize: size,
            stepDt: try top["step_dt"]?.double(),
            numEnvs: try top["num_envs"]?.int(),
            envSpacing: try top["env_spacing"]?.double(),
            workflow: try top["workflow"]?.string())
        if let workflow = top["workflow"] {
            let name = try workflow.string()
            do {
                _ = try PathComponent(name, field: .workflow)
            } catch {
                throw workflow.fail(error.description)
            }
        }
        do {
            return try task.validated()
        } catch {
            throw root.fail(error.description)
        }
    }
}
