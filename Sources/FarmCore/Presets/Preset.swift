/// One entry of Isaac Lab's `presets=` stack, as far as video recording cares: a physics preset
/// names the physics manager it installs, a renderer preset names the sensor renderer type it adds.
public struct Preset: Sendable, Hashable {
    public enum Effect: Sendable, Hashable {
        /// The physics manager class name, e.g. `PhysxManager`; resolution tests it by substring.
        case physics(managerName: String)
        /// The sensor renderer type, e.g. `isaac_rtx`; resolution tests it by membership.
        case renderer(type: String)
    }

    public let name: String
    public let effect: Effect

    public init(name: String, effect: Effect) {
        self.name = name
        self.effect = effect
    }
}
