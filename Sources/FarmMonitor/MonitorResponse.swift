import FarmCoordinator
import Foundation

/// One HTTP response, built off the event loop and written by `HTTPChannelHandler`.
struct MonitorResponse: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: Body

    /// Bytes built in memory (pages, JSON, metrics), or a range of an open file, streamed from disk
    /// a chunk at a time so a response never holds a whole clip in memory.
    enum Body: Sendable {
        case bytes(Data)
        case file(ContainedFile, ClosedRange<Int>)

        var count: Int {
            switch self {
            case .bytes(let data): data.count
            case .file(_, let range): range.count
            }
        }
    }

    init(status: Int, headers: [(String, String)], body: Data) {
        self.init(status: status, headers: headers, file: .bytes(body))
    }

    init(status: Int, headers: [(String, String)], file body: Body) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    static func text(_ status: Int, _ message: String) -> MonitorResponse {
        MonitorResponse(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")],
                        body: Data((message + "\n").utf8))
    }
}
