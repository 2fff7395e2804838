import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// Fetches a /metrics URL every `every` seconds on its own thread, as a Prometheus server would,
/// until `stop()`, which joins the thread and returns how many fetches succeeded.
final class MetricsScraper: Sendable {
    /// What the scraping thread and `stop()` share.
    private final class Shared: Sendable {
        private let state = Mutex((stopping: false, scrapes: 0, failure: String?.none))

        var stopping: Bool { state.withLock { $0.stopping } }
        func stop() { state.withLock { $0.stopping = true } }
        func scraped() { state.withLock { $0.scrapes += 1 } }
        func failed(_ reason: String) { state.withLock { $0.failure = reason } }
        var outcome: (scrapes: Int, failure: String?) { state.withLock { ($0.scrapes, $0.failure) } }
    }

    private let shared = Shared()
    private let finished = DispatchSemaphore(value: 0)

    init(url: String, every seconds: Double) throws {
        guard let target = URL(string: url) else { throw DispatchBench.Failure("bad metrics URL \(url)") }
        let thread = Thread { [shared, finished] in
            var next = Date()
            while !shared.stopping {
                do {
                    let body = try Data(contentsOf: target)
                    guard body.count > 0 else { throw DispatchBench.Failure("empty /metrics") }
                    shared.scraped()
                } catch {
                    shared.failed("\(error)")
                }
                next = next.addingTimeInterval(seconds)
                while !shared.stopping && Date() < next { Thread.sleep(forTimeInterval: 0.01) }
            }
            finished.signal()
        }
        thread.start()
    }

    func stop() throws -> Int {
        shared.stop()
        finished.wait()
        let outcome = shared.outcome
        if let failure = outcome.failure { throw DispatchBench.Failure("scraping /metrics failed: \(failure)") }
        return outcome.scrapes
    }
}
