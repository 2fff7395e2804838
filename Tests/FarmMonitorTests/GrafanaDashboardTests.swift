import Foundation
import Testing
@testable import FarmMonitor

/// cluster/grafana/renderfarm.json parses, and every metric its queries name is one /metrics exposes.
struct GrafanaDashboardTests {
    static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let dashboard = URL(fileURLWithPath: package).appendingPathComponent("cluster/grafana/renderfarm.json")

    @Test func everyQueriedMetricIsExposed() throws {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Self.dashboard)) as? [String: Any])
        #expect(json["uid"] as? String == "renderfarm")
        let panels = try #require(json["panels"] as? [[String: Any]])
        let expressions = panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        #expect(expressions.count >= panels.count)

        let fixture = try MonitorFixture()
        try fixture.submit(clips: 1)
        try fixture.ready("w1")
        fixture.publish()
        fixture.metrics.record(.clipRetried)
        fixture.metrics.record(.clipRequeued)
        fixture.metrics.record(.workerLost)
        fixture.metrics.record(.clipFiled(worker: "w1", host: "node-a", frames: 10, renderSeconds: 1, submitToFiledSeconds: 2))
        let text = String(decoding: fixture.metrics.exposition(counts: try fixture.store.stateCounts(),
                                                               storeBytes: 1, residentBytes: 1, now: fixture.now),
                          as: UTF8.self)
        let exposed = Set(text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap {
            $0.split(whereSeparator: { $0 == "{" || $0 == " " }).first.map(String.init)
        })
        let pattern = /farm_[a-z_]+/
        var queried: Set<String> = []
        for expression in expressions {
            for match in expression.matches(of: pattern) { queried.insert(String(match.output)) }
        }
        #expect(queried.count >= 14)
        for name in queried.sorted() {
            #expect(exposed.contains(name), "the dashboard queries \(name), which /metrics does not expose")
        }
    }
}
