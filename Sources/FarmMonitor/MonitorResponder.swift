import FarmCore
import FarmCoordinator
import Foundation
import Logging

/// Answers the monitoring routes. Runs on the HTTP side's thread pool (it reads the store and
/// files), never on the coordinator's loop and never on the event loop.
struct MonitorResponder: Sendable {
    let metrics: FarmMetrics
    let sources: MonitorSources
    let logger: Logger
    var now: @Sendable () -> Double = { Date().timeIntervalSince1970 }

    func respond(method: String, target: String, range: String?) -> MonitorResponse {
        guard method == "GET" || method == "HEAD" else {
            var response = MonitorResponse.text(405, "the monitor is read-only: only GET and HEAD")
            response.headers.append(("Allow", "GET, HEAD"))
            return response
        }
        do {
            switch MonitorRoute(target: target) {
            case .dashboard:
                return MonitorResponse(status: 200, headers: [("Content-Type", "text/html; charset=utf-8"),
                                                              ("Cache-Control", "no-cache")],
                                       body: Data(DashboardPage.html.utf8))
            case .metrics:
                let body = metrics.exposition(counts: try sources.store.stateCounts(),
                                              storeBytes: sources.store.sizeOnDisk(),
                                              residentBytes: ProcessMemory.residentBytes(), now: now())
                return MonitorResponse(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")],
                                       body: Data(body))
            case let .state(job, offset):
                let state = try DashboardState(snapshot: metrics.snapshot, sources: sources, job: job, offset: offset,
                                               now: now())
                let encoder = JSONEncoder()
                encoder.keyEncodingStrategy = .convertToSnakeCase
                return MonitorResponse(status: 200, headers: [("Content-Type", "application/json"),
                                                              ("Cache-Control", "no-store")],
                                       body: try encoder.encode(state))
            case let .clip(job, index):
                return try clip(ClipKey(job: job, index: index), range: range)
            case .notFound:
                return .text(404, "not found: the monitor serves /, /metrics, /api/state and /clips/<job>/<clip>.mp4")
            }
        } catch {
            logger.warning("monitor: \(target): \(error)")
            return .text(500, "the coordinator could not read its state: \(error)")
        }
    }

    /// A done clip's MP4, by id, with byte ranges (browsers seek and stream video through them).
    private func clip(_ key: ClipKey, range header: String?) throws -> MonitorResponse {
        guard let clip = try sources.store.clip(key), clip.state == .done, let path = clip.path else {
            return .text(404, "clip \(key) is not a filed clip")
        }
        // Opened as FETCH_CLIP opens it (no link followed, no FIFO, a regular file inside the logs
        // root), and streamed from this descriptor: what was checked is what is sent.
        let file: ContainedFile
        do {
            file = try ContainedFile(path, under: sources.logsRoot)
        } catch {
            if case .missing = error { return .text(404, "clip \(key)'s file \(clip.plan.file) is gone") }
            logger.warning("monitor: clip \(key): \(error); refused")
            return .text(403, "clip \(key) is not served: its file is not a regular file inside the logs root")
        }
        var headers = [("Content-Type", "video/mp4"), ("Accept-Ranges", "bytes"), ("Cache-Control", "no-cache")]
        switch ByteRange(header: header, size: file.size) {
        case .whole:
            return MonitorResponse(status: 200, headers: headers,
                                   file: file.size == 0 ? .bytes(Data()) : .file(file, 0...(file.size - 1)))
        case .partial(let bytes):
            headers.append(("Content-Range", "bytes \(bytes.lowerBound)-\(bytes.upperBound)/\(file.size)"))
            return MonitorResponse(status: 206, headers: headers, file: .file(file, bytes))
        case .unsatisfiable:
            return MonitorResponse(status: 416, headers: [("Content-Range", "bytes */\(file.size)")], body: Data())
        }
    }
}
