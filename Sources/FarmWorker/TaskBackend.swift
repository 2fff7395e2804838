import FarmCore
import FarmWire

/// Resolves a task's backend from its inputs exactly as `farmctl resolve` and Isaac Lab do: presets
/// through the catalog (no physics preset means physx), `physics` replacing the implied manager name,
/// non-empty `renderer_types` replacing the implied renderer types.
enum TaskBackend {
    struct Refusal: Error {
        let message: String
        let retryable: Bool
    }

    static func resolve(_ inputs: BackendInputs, catalog: PresetCatalog,
                        served: [VideoBackend]) throws(Refusal) -> BackendResolution {
        let resolution: BackendResolution
        do {
            let stack = try catalog.stack(inputs.presets)
            resolution = try BackendResolver.resolve(
                visualizerTypes: inputs.visualizers,
                physicsManagerName: inputs.physics ?? stack.physicsManagerName,
                rendererTypes: inputs.rendererTypes.isEmpty ? stack.rendererTypes : inputs.rendererTypes,
                backendSource: inputs.backendSource)
        } catch {
            // The job's own inputs are at fault: every worker would refuse it the same way.
            throw Refusal(message: String(describing: error), retryable: false)
        }
        guard served.contains(resolution.backend) else {
            let list = served.map(\.rawValue).joined(separator: ", ")
            throw Refusal(message: "this worker serves \(list.isEmpty ? "no backend" : list), not \(resolution.backend.rawValue)",
                          retryable: true)
        }
        return resolution
    }
}
