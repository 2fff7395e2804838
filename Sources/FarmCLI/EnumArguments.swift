import ArgumentParser
import FarmCore

// The farm's closed sets of names as arguments: `--help` lists their values, and a value outside
// the set is refused while parsing, naming the choices.

extension ScheduleKind: ExpressibleByArgument {}

extension BackendSource: ExpressibleByArgument {}

extension VideoBackend: ExpressibleByArgument {}

extension ClipOutput.Kind: ExpressibleByArgument {}
