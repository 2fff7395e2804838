import FarmCore
import FarmWire

/// Resolves a task's backend from its inputs exactly as `farmctl resolve`, the coordinator and Isaac
/// Lab do (`BackendInputs.resolve`), and refuses backends this worker does not serve.
enum TaskBackend {
    struct Refusal: Error {
        let message: String
        let retryable: Bool
    }

    static func resolve(_ inputs: BackendInputs, catalog: PresetCatalog,
                        served: [VideoBackend]) throws(Refusal) -> BackendResolution {
        let resolution: BackendResolution
        do {
            resolution = try inputs.resolve(catalog: catalog)
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
