import Foundation

/// One HTTP response, built off the event loop and written by `HTTPChannelHandler`.
struct MonitorResponse: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: Data

    static func text(_ status: Int, _ message: String) -> MonitorResponse {
        MonitorResponse(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")],
                        body: Data((message + "\n").utf8))
    }
}
