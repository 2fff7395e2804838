import FarmWire
import Foundation

/// The heartbeat log's last lines, read from the end of the file (never the whole file: it grows to
/// `heartbeat_log_max_bytes`). Lines that do not parse are skipped.
enum HeartbeatTail {
    static func read(path: String, lines: Int, window: Int = 64 << 10) -> [HeartbeatRecord] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        guard let end = try? handle.seekToEnd() else { return [] }
        let start = end > UInt64(window) ? end - UInt64(window) : 0
        guard (try? handle.seek(toOffset: start)) != nil, let data = try? handle.readToEnd() else { return [] }
        var text = Substring(String(decoding: data, as: UTF8.self))
        // A window that starts mid-file starts mid-line: drop that partial line.
        if start > 0, let newline = text.firstIndex(of: "\n") { text = text[text.index(after: newline)...] }
        let records = text.split(separator: "\n").suffix(lines * 2).compactMap { try? HeartbeatRecord.parse(line: String($0)) }
        return Array(records.suffix(lines))
    }
}
