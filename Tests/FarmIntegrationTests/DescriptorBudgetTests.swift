import FarmLaunch
import FarmTestSupport
import FarmWire
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 19, finding 4/5: descriptors are budgeted live. A coordinator near its descriptor limit
/// refuses new dashboard connections and uploads, keeping what is left for its clients, workers and
/// database; it used to accept until `accept` and ZeroMQ failed and clients got no reply.
@Suite(.serialized)
struct DescriptorBudgetTests {
    /// True if the server has closed `fd` (EOF or reset).
    private static func closedByServer(_ fd: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, 0) == 1 else { return false }
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, Int32(MSG_DONTWAIT)) <= 0
    }

    @Test func nearItsLimitTheCoordinatorRefusesDashboardConnectionsAndUploadsButServesClients() throws {
        let farm = try FarmProcesses()
        let port = try LoopbackPorts.freePort()
        let coordinator = try farm.startCoordinator(["--metrics-address", "127.0.0.1:\(port)"], descriptorLimit: 256)
        try farm.waitUntil("the dashboard to answer") {
            (try? HTTPClient.send(method: "GET", port: port, target: "/metrics", timeout: 5))?.status == 200
        }
        // 127 idle connections (each kept up to the 10 s header timeout), under the dashboard's cap
        // of 128 but past what 256 descriptors allow.
        var held: [Int32] = []
        defer { for fd in held { close(fd) } }
        for _ in 0..<127 { held.append(try TCPSocket.connect(port: port)) }
        // The dashboard takes connections in order: once a 128th is answered (or refused), it has
        // kept or refused all the others.
        _ = try? HTTPClient.send(method: "GET", port: port, target: "/metrics", timeout: 10)

        // What is left serves clients: an upload is refused with the reason, status answers.
        let context = try ZMQContext()
        let client = try ZMQSocket(context: context, kind: .dealer)
        defer { client.close() }
        try client.connect(farm.clientEndpoint)
        try client.send(ClientRequest.uploadBegin(UploadBegin(totalBytes: 1 << 20)).frames)
        let reply = try #require(try client.receive(timeout: .seconds(10)), "no reply to UPLOAD_BEGIN")
        guard case .error(let error) = try ClientReply.parse(reply) else {
            Issue.record("UPLOAD_BEGIN was accepted with the descriptors nearly gone")
            return
        }
        #expect(error.message.contains("short of file descriptors"), "\(error.message)")
        // A loaded machine may still be taking the flood's last connections in (the listen queue
        // holds 100; TCP retries the rest after 1, 3, 7 s), which farmctl's connection queues behind.
        let status = try farm.farmctl(["status", "--json", "--timeout", "60"])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(coordinator.isRunning)
        // The refusals were made at accept, long before these replies.
        let refused = held.filter(Self.closedByServer).count
        #expect(refused > 0, "all 127 dashboard connections were kept under a 256-descriptor limit")

        // Once they go, the dashboard serves again.
        for fd in held { close(fd) }
        held.removeAll()
        try farm.waitUntil("the dashboard to answer again", timeout: .seconds(20)) {
            (try? HTTPClient.send(method: "GET", port: port, target: "/metrics", timeout: 5))?.status == 200
        }
    }

    /// A flood of ZeroMQ connections from one address (300 DEALERs from 127.0.0.2, each completing
    /// its handshake and staying) against a coordinator whose limit is 256 descriptors. They used to
    /// take every descriptor: clients got no reply and workers could not join until the flood left.
    /// Now the address keeps `max_connections_per_address` (64) and is refused beyond, and everyone
    /// else is served: status answers, a new worker joins and a job lands.
    @Test func aConnectionFloodFromOneAddressLeavesTheFarmServingEveryoneElse() throws {
        let farm = try FarmProcesses()
        let coordinator = try farm.startCoordinator(descriptorLimit: 256)
        try farm.startWorker()
        try farm.waitUntil("the first worker to register") { try farm.workersReport().count == 1 }

        let context = try ZMQContext()
        let flood = try ConnectionFlood.open(to: farm.clientEndpoint, from: 2, count: 300, context: context)
        defer { for socket in flood { socket.close() } }
        try farm.waitForCoordinatorLog("127.0.0.2 holds 64 connections to farm.clients", what: "the coordinator to refuse the flood")

        // A loaded machine may still be taking the flood's last connections in (the listen queue
        // holds 100; TCP retries the rest after 1, 3, 7 s), which farmctl's connection queues behind.
        let status = try farm.farmctl(["status", "--json", "--timeout", "60"])
        #expect(status.status == 0, "status during the flood: \(status.stderr) \(farm.logsText())")
        try farm.startWorker()
        try farm.waitUntil("a second worker to register during the flood", timeout: .seconds(60)) {
            try farm.workersReport().count == 2
        }
        let job = try farm.submit(FarmFaultTests.small + ["--steps", "20", "--video_length", "10", "--video_interval", "10"],
                                  wait: true)
        #expect(job.status == 0, "\(job.stderr)")
        #expect(try farm.status(try #require(job.job).id).state == .completed)
        let open = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(coordinator.processIdentifier)/fd").count
        // Well under the limit less the 64 the coordinator keeps for itself (DescriptorBudget.reserve).
        #expect(open < 256 - 64, "\(open) descriptors open")
        #expect(coordinator.isRunning)
    }

    /// A flood from five addresses (60 DEALERs each, under the per-address cap) against a
    /// 256-descriptor coordinator: it runs short, and new client connections wait, but the
    /// connections it had keep being answered, a new worker still joins (workers keep 64 more
    /// descriptors than clients) and renders the queued job, and filing keeps its reserve.
    @Test func aFloodFromManyAddressesLeavesWorkersTheirShare() throws {
        let farm = try FarmProcesses()
        let coordinator = try farm.startCoordinator(descriptorLimit: 256)
        let job = try #require(try farm.submit(FarmFaultTests.small + ["--steps", "20", "--video_length", "10",
                                                                       "--video_interval", "10"]).job).id
        let context = try ZMQContext()
        let probe = try ZMQSocket(context: context, kind: .dealer)
        defer { probe.close() }
        try probe.connect(farm.clientEndpoint)
        func ask(_ request: ClientRequest) throws -> OkReply? {
            try probe.send(request.frames, wait: true)
            guard case .ok(let reply) = try ClientReply.parse(try #require(try probe.receive(timeout: .seconds(60)))) else { return nil }
            return reply
        }
        _ = try ask(.workers(WorkersQuery()))

        var flood = try (2...6).flatMap { try ConnectionFlood.open(to: farm.clientEndpoint, from: $0, count: 60, context: context) }
        defer { for socket in flood { socket.close() } }
        try farm.waitForCoordinatorLog("fewer than 128 file descriptors left", what: "the coordinator to run short and refuse clients")
        try farm.startWorker()
        try farm.waitUntil("a worker to join during the flood and finish the job", timeout: .seconds(120)) {
            try ask(.status(StatusQuery(jobId: job)))?.job?.state == .completed
        }
        #expect(try ask(.workers(WorkersQuery()))?.workers?.count == 1)
        let open = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(coordinator.processIdentifier)/fd").count
        #expect(open <= 256 - 64, "\(open) descriptors open; the database and filing keep 64 (DescriptorBudget.reserve)")
        for socket in flood { socket.close() }
        flood.removeAll()
        let status = try farm.farmctl(["status", "--json", "--timeout", "60"])
        #expect(status.status == 0, "status after the flood: \(status.stderr)")
        #expect(coordinator.isRunning)
    }

    /// A client refused at its handshake is told so, not "no reply": farmctl watches its socket's
    /// handshakes, opens a new socket after each refusal, and names the reasons when it gives up.
    @Test func aRefusedClientIsToldItWasRefused() throws {
        let farm = try FarmProcesses()
        let configs = farm.directory.appendingPathComponent("configs")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../configs").standardized, to: configs)
        let settings = configs.appendingPathComponent("farm.yaml")
        try String(contentsOf: settings, encoding: .utf8)
            .replacingOccurrences(of: "max_connections_per_address: 64", with: "max_connections_per_address: 1")
            .write(to: settings, atomically: true, encoding: .utf8)
        try farm.startCoordinator(["--config-dir", configs.path])
        let context = try ZMQContext()
        let holder = try ZMQSocket(context: context, kind: .dealer)
        defer { holder.close() }
        try holder.connect(farm.clientEndpoint)
        try holder.send(ClientRequest.workers(WorkersQuery()).frames, wait: true)
        _ = try #require(try holder.receive(timeout: .seconds(30)), "the first connection is served: \(farm.logsText())")
        let refused = try farm.farmctl(["status", "--timeout", "3"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("refused this client's connection"), "\(refused.stderr)")
        holder.close()
        let served = try farm.farmctl(["status", "--timeout", "30"])
        #expect(served.status == 0, "\(served.stderr)")
    }
}

