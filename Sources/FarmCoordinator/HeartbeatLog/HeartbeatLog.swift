import FarmWire
import Foundation

/// `<state-dir>/heartbeats.jsonl`: one JSON object per heartbeat (`HeartbeatRecord`, one line each).
/// When the file would pass `maxBytes` it is rotated: `heartbeats.jsonl` becomes `.1`, `.1` becomes
/// `.2`, …, and files beyond `keep` are deleted. Used from the coordinator's loop thread only.
public final class HeartbeatLog {
    public let path: String
    public let maxBytes: Int
    public let keep: Int
    private var handle: FileHandle?
    private var size: Int = 0

    public init(path: String, maxBytes: Int = 10 << 20, keep: Int = 3) throws {
        precondition(maxBytes > 0 && keep >= 0, "heartbeat log limits must be positive")
        self.path = path
        self.maxBytes = maxBytes
        self.keep = keep
        try open()
    }

    deinit { try? handle?.close() }

    /// The rotated files, newest first, that exist now.
    public var rotatedPaths: [String] {
        (1...max(keep, 1)).map { "\(path).\($0)" }.filter { FileManager.default.fileExists(atPath: $0) }
    }

    public func append(_ record: HeartbeatRecord) throws {
        let line = Data((record.jsonLine() + "\n").utf8)
        if size > 0 && size + line.count > maxBytes { try rotate() }
        try handle?.write(contentsOf: line)
        size += line.count
    }

    private func open() throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if !manager.fileExists(atPath: path) { _ = manager.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        size = Int(try handle.seekToEnd())
        self.handle = handle
    }

    private func rotate() throws {
        try handle?.close()
        handle = nil
        let manager = FileManager.default
        if keep == 0 {
            try manager.removeItem(atPath: path)
        } else {
            let oldest = "\(path).\(keep)"
            if manager.fileExists(atPath: oldest) { try manager.removeItem(atPath: oldest) }
            for index in stride(from: keep - 1, through: 1, by: -1) where manager.fileExists(atPath: "\(path).\(index)") {
                try manager.moveItem(atPath: "\(path).\(index)", toPath: "\(path).\(index + 1)")
            }
            try manager.moveItem(atPath: path, toPath: "\(path).1")
        }
        try open()
    }
}
