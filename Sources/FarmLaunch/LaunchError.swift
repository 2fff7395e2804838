/// Why a farm process could not be started.
public enum LaunchError: Error, CustomStringConvertible {
    case missingBinary(String)
    case childExited(name: String, status: Int32, log: String)
    case unwritableLog(String)
    case noFreePort(range: Range<Int>, tries: Int)

    public var description: String {
        switch self {
        case .missingBinary(let path):
            return "cannot find \(path); build the farm (swift build) or point \(FarmBinaries.environmentVariable) at the folder of its binaries"
        case .childExited(let name, let status, let log):
            return "\(name) exited with status \(status) at start; see \(log)"
        case .unwritableLog(let path):
            return "cannot create the log file \(path); check that its directory is writable"
        case .noFreePort(let range, let tries):
            return "no free loopback port in \(range.lowerBound)–\(range.upperBound - 1) after \(tries) tries; "
                + "name the farm's endpoints and dashboard address in farm.yaml instead"
        }
    }
}
