import FarmCore
import FarmTestSupport
import FarmWire
import Foundation
import Testing

/// A client that pipelines requests and never reads its replies used to keep up to a thousand of
/// them per connection in the coordinator's memory (9,600 unread FETCH_CLIPs of a 35 KB clip on
/// eight connections took it from 68 to 334 MiB; a clip of a few MB would take GBs). Now past
/// 64 MiB unread on a connection its requests are refused with `queue_full` until it reads, and it
/// is served again after.
struct ReplyBacklogTests {
    @Test func aConnectionThatDoesNotReadIsRefusedPastItsBacklogAndServedOnceItReads() throws {
        let farm = try FarmProcesses()
        try farm.startCoordinator()
        // No worker: the job's 1,000 clips stay pending, and its record lists them all.
        let job = try #require(try farm.submit(["--steps", "1000", "--num_envs", "1", "--video_length", "1",
                                                "--video_interval", "1"]).job).id
        let context = try ZMQContext()
        let setup = try ZMQSocket(context: context, kind: .dealer)
        defer { setup.close() }
        try setup.connect(farm.clientEndpoint)
        try setup.send(ClientRequest.status(StatusQuery(jobId: job)).frames, wait: true)
        let replyBytes = try #require(try setup.receive(timeout: .seconds(30))).reduce(0) { $0 + $1.count }
        let perConnection = 64 << 20
        // Past the bound (and the kernel's socket buffers), under the thousand replies libzmq queues
        // for one connection before it drops more.
        let requests = min(perConnection / replyBytes * 3 / 2 + 100, 990)
        try #require(requests * replyBytes > perConnection + 16 << 20, "replies of \(replyBytes) bytes are too small")

        let reader = try ZMQSocket(context: context, kind: .dealer)
        defer { reader.close() }
        try reader.setReceiveQueueLimit(messages: 1)
        try reader.connect(farm.clientEndpoint)
        for _ in 0..<requests { try reader.send(ClientRequest.status(StatusQuery(jobId: job)).frames, wait: true) }
        try farm.waitForCoordinatorLog("refusing its requests", what: "the coordinator to refuse the connection that does not read")
        // Every request is answered, in order: records until the backlog passed its bound, then refusals.
        var answered = 0
        var refused: [String] = []
        for _ in 0..<requests {
            let reply = try ClientReply.parse(try #require(try reader.receive(timeout: .seconds(60)),
                                                           "reply \(answered + refused.count) of \(requests): \(farm.logsText())"))
            switch reply {
            case .ok: answered += 1
            case .error(let error):
                #expect(error.code == .queueFull)
                refused.append(error.message)
            }
        }
        #expect(refused.first?.contains("still unread") == true, "\(refused.first ?? "no refusal")")
        // What was queued stayed near the bound (plus what the kernel's socket buffers took).
        #expect(answered * replyBytes < perConnection + 48 << 20, "\(answered) replies of \(replyBytes) bytes")
        try reader.send(ClientRequest.status(StatusQuery(jobId: job)).frames, wait: true)
        let again = try ClientReply.parse(try #require(try reader.receive(timeout: .seconds(30))))
        guard case .ok = again else {
            Issue.record("a connection that read its replies is still refused: \(again)"); return
        }
    }
}
