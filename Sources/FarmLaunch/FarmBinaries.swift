import Foundation

/// Where the farm's executables are, by one rule for every launcher (`farmctl up`/`demo`, the
/// integration tests, farm-bench, the Python package's `renderfarm.farm`, the cluster scripts):
/// the folder `FARM_BIN` names, else the folder of the running executable (the farm's binaries are
/// built and installed side by side, and a test bundle is built beside them).
public enum FarmBinaries {
    public static let environmentVariable = "FARM_BIN"

    public static func directory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let bin = environment[environmentVariable], !bin.isEmpty { return bin }
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: me).deletingLastPathComponent().path
    }

    /// The path of `binary` in `directory`, or an error saying how to get it there.
    public static func path(of binary: String, in directory: String = directory()) throws(LaunchError) -> String {
        let path = URL(fileURLWithPath: directory).appendingPathComponent(binary).path
        guard FileManager.default.isExecutableFile(atPath: path) else { throw .missingBinary(path) }
        return path
    }
}
