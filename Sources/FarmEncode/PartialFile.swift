import Foundation

/// Where a clip is written until it is complete: a hidden name beside the final path
/// (`dir/.name.mp4.partial-1a2b3c4d`), so a reader of `path` never sees a half-written clip and
/// the rename onto `path` is atomic (same directory, same file system).
struct PartialFile: Sendable {
    let finalPath: String
    let temporaryPath: String

    init(finalPath: String) {
        self.finalPath = finalPath
        let url = URL(fileURLWithPath: finalPath)
        let suffix = String(UInt32.random(in: .min ... .max), radix: 16)
        temporaryPath = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).partial-\(suffix)").path
    }

    /// Moves the finished file onto the final path, replacing any earlier clip there.
    func commit() throws(EncodeError) {
        guard rename(temporaryPath, finalPath) == 0 else {
            throw .fileSystem(operation: "rename \(temporaryPath) to", path: finalPath,
                              message: String(cString: strerror(errno)))
        }
    }

    func discard() {
        unlink(temporaryPath)
    }

    static func size(of path: String) throws(EncodeError) -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .fileSystem(operation: "stat", path: path, message: String(cString: strerror(errno)))
        }
        return Int(info.st_size)
    }
}
