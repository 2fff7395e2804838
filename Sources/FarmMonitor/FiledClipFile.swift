import Foundation

/// A filed clip's MP4, checked to lie inside the logs root. The path comes from the store (where
/// the coordinator filed the clip), never from a URL; even so it is resolved with every symlink
/// followed and refused unless the real file is a regular file under the real logs root.
struct FiledClipFile: Equatable {
    let path: String
    let size: Int

    enum Refusal: Error, Equatable {
        case missing
        case outsideLogsRoot
        case notAFile
    }

    static func resolve(_ path: String, logsRoot: String) -> Result<FiledClipFile, Refusal> {
        guard let root = realPath(logsRoot), let real = realPath(path) else { return .failure(.missing) }
        let prefix = root.hasSuffix("/") ? root : root + "/"
        guard real.hasPrefix(prefix) else { return .failure(.outsideLogsRoot) }
        var info = stat()
        guard stat(real, &info) == 0 else { return .failure(.missing) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .failure(.notAFile) }
        return .success(FiledClipFile(path: real, size: Int(info.st_size)))
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Bytes `range` of the file (read whole ranges: clips are a few MB).
    func read(_ range: ClosedRange<Int>) throws -> Data {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(range.lowerBound))
        return try handle.read(upToCount: range.count) ?? Data()
    }
}
