import FarmCore
import FarmWire
import Foundation
import Testing
@testable import FarmCoordinator

/// Issue 19, network: a SUBMIT sent again after its reply was lost (same idempotency key) answers
/// with the job the first made; it used to make a second job rendering every clip again.
@Suite(.serialized) struct IdempotentSubmitTests {
    static func submit(run: String, key: String?) throws -> ClientRequest {
        guard case .submit(var job, let rollout) = try LiveFarm.submit(run: run) else { throw TestFailure("not a SUBMIT") }
        job.idempotencyKey = key
        return .submit(job, rollout: rollout)
    }

    @Test func aRepeatedSubmitFindsTheFirstJob() throws {
        let farm = try LiveFarm()
        let client = try farm.client()
        let key = UUID().uuidString.lowercased()
        guard case .ok(let first) = try farm.request(client, try Self.submit(run: "once", key: key)),
              let job = first.job else { Issue.record("refused"); return }
        // Again, from another connection (a client that reopened its socket), and after a restart.
        guard case .ok(let again) = try farm.request(try farm.client(), try Self.submit(run: "once", key: key)) else {
            Issue.record("the repeat was refused"); return
        }
        #expect(again.job?.id == job.id)
        guard case .ok(let other) = try farm.request(client, try Self.submit(run: "once", key: UUID().uuidString)) else {
            Issue.record("a new key was refused"); return
        }
        #expect(other.job?.id != job.id, "another key is another job")
        guard case .ok(let all) = try farm.request(client, .status(StatusQuery())) else { return }
        #expect(all.jobs?.count == 2)

        let directory = farm.directory
        farm.shutDown()
        let restarted = try LiveFarm(directory: directory)
        guard case .ok(let afterRestart) = try restarted.request(try restarted.client(), try Self.submit(run: "once", key: key)) else {
            Issue.record("refused after a restart"); return
        }
        #expect(afterRestart.job?.id == job.id)
    }

    @Test func anOverlongKeyIsRefused() throws {
        let farm = try LiveFarm()
        guard case .error(let error) = try farm.request(try farm.client(),
                                                        try Self.submit(run: "long", key: String(repeating: "k", count: 129))) else {
            Issue.record("accepted"); return
        }
        #expect(error.message.contains("idempotency_key is 129 bytes"))
    }

    /// The coordinator logs and stores the key: one that would forge a log line is refused.
    @Test func aKeyThatWouldBreakALogLineIsRefused() throws {
        let farm = try LiveFarm()
        guard case .error(let error) = try farm.request(try farm.client(),
                                                        try Self.submit(run: "forged", key: "k\n2026 info forged")) else {
            Issue.record("accepted"); return
        }
        #expect(error.code == .invalidJob && error.message.contains("idempotency_key contains U+000A"), "\(error.message)")
    }

    @Test func keysAreScopedToTheSubmittingClientKey() throws {
        let auth = try AuthenticatedFarm()
        let key = "shared-key"
        guard case .ok(let alices) = try auth.ask(try auth.client(auth.alice), try Self.submit(run: "a", key: key)),
              case .ok(let bobs) = try auth.ask(try auth.client(auth.bob), try Self.submit(run: "b", key: key)) else {
            Issue.record("refused"); return
        }
        #expect(alices.job?.id != bobs.job?.id, "bob's key does not find alice's job")
    }
}
