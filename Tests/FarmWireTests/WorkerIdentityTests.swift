import FarmWire
import Testing

/// A worker's id and READY texts are logged, labelled and shown: READY that would forge a log line,
/// break a metrics label or reorder what a terminal shows is refused, naming the field.
struct WorkerIdentityTests {
    @Test(arguments: [
        ("node7-4242-a1b2c3", nil), ("gpu-pod.ns_1:0@host+x", nil), (String(repeating: "w", count: 128), nil),
        ("", "worker_id"), (String(repeating: "w", count: 129), "worker_id"), ("w\nINJECTED", "worker_id"),
        ("w\"} 1", "worker_id"), ("<script>", "worker_id"), ("w x", "worker_id"), ("w\u{202E}x", "worker_id"),
    ] as [(String, String?)])
    func workerIds(id: String, refusedField: String?) {
        var ready = Fixtures.ready
        ready.workerId = id
        #expect(refusal(of: ready) == refusedField, "\(id.debugDescription)")
    }

    static let badTexts: [(String, @Sendable (inout Ready) -> Void)] = [
        ("host", { $0.host = "node7\nINJECTED" }),
        ("device.gl_renderer", { $0.device.glRenderer = "llvmpipe\u{0}" }),
        ("device.gl_vendor", { $0.device.glVendor = String(repeating: "v", count: 257) }),
        ("version", { $0.version = "0.1\u{2066}" }),
        ("encoders", { $0.encoders = ["libx264", "x\r"] }),
    ]

    @Test(arguments: badTexts)
    func readyTexts(field: String, change: @Sendable (inout Ready) -> Void) {
        var ready = Fixtures.ready
        change(&ready)
        #expect(refusal(of: ready) == field)
    }

    @Test func aHostBecomesAnIdPart() {
        #expect(WorkerIdentity.idPart("node7") == "node7")
        #expect(WorkerIdentity.idPart("my host\n") == "my-host-")
        #expect(WorkerIdentity.idPart("") == "worker")
        #expect(WorkerIdentity.idProblem(WorkerIdentity.idPart("ünï cödé") + "-1-ff") == nil)
    }

    /// The field READY is refused for, nil when it parses.
    private func refusal(of ready: Ready) -> String? {
        do {
            _ = try WorkerMessage.parse(WorkerMessage.ready(ready).frames)
            return nil
        } catch {
            guard case .invalidValue(_, let field, _) = error else { return "\(error)" }
            return field
        }
    }
}
