import ArgumentParser
import FarmCore
import Foundation

/// `x,y,z` in metres, e.g. `--eye -1.6,3.6,2.8`. Options of this type must be declared with
/// `parsing: .unconditional`, or a value with a leading minus is taken for a flag.
extension Vec3: ExpressibleByArgument {
    public init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
            .map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, let x = parts[0], let y = parts[1], let z = parts[2] else { return nil }
        self.init(x, y, z)
    }

    public var defaultValueDescription: String { "\(x),\(y),\(z)" }
}
