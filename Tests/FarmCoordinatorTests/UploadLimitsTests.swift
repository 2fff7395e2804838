import FarmCore
import FarmWire
import Foundation
import Testing
@testable import FarmCoordinator
#if canImport(Glibc)
import Glibc
#endif

/// Issue 19, finding 4: abandoned uploads are bounded per client, in total and in idle time, and
/// `total_bytes` is bounded, so begun-and-forgotten uploads cannot exhaust the coordinator.
@Suite(.serialized) struct UploadLimitsTests {
    static func begin(_ farm: LiveFarm, _ client: ZMQSocket, bytes: Int) throws -> ClientReply {
        try farm.request(client, .uploadBegin(UploadBegin(totalBytes: bytes)))
    }

    @Test func eachClientMayHoldOnlyAFewUnfinishedUploads() throws {
        let farm = try LiveFarm()
        let hostile = try farm.client()
        var accepted = 0
        var refusal: ErrorReply?
        for _ in 0..<200 {
            switch try Self.begin(farm, hostile, bytes: 1000) {
            case .ok: accepted += 1
            case .error(let error): refusal = error
            }
        }
        #expect(accepted == UploadLimits.standard.maxUploadsPerClient)
        #expect(refusal?.message.contains("unfinished uploads") == true, "\(refusal?.message ?? "none refused")")
        let spool = farm.directory.appending("state/spool")
        let parts = try FileManager.default.contentsOfDirectory(atPath: spool).filter { $0.hasPrefix("upload-") }
        #expect(parts.count == accepted)
        // Another client is still served.
        guard case .ok = try Self.begin(farm, try farm.client(), bytes: 1000) else {
            Issue.record("a second client was refused"); return
        }
    }

    @Test func totalBytesAndTheSpoolAreBounded() throws {
        let farm = try LiveFarm(uploadLimits: UploadLimits(maxSpoolBytes: 1500))
        guard case .error(let huge) = try Self.begin(farm, try farm.client(), bytes: 1 << 62) else {
            Issue.record("total_bytes 2^62 was accepted"); return
        }
        #expect(huge.message.contains("total_bytes is 4611686018427387904"), "\(huge.message)")
        guard case .ok = try Self.begin(farm, try farm.client(), bytes: 1000) else { Issue.record("refused"); return }
        guard case .error(let full) = try Self.begin(farm, try farm.client(), bytes: 1000) else {
            Issue.record("the spool cap was passed"); return
        }
        #expect(full.message.contains("free for uploads"), "\(full.message)")
    }

    /// The state directory's disk keeps room for the database: uploads and SUBMITs that would leave
    /// less than `keepFreeBytes` free are refused (here the reserve is more than any disk has).
    @Test func uploadsAndSubmitsLeaveTheDatabaseItsDisk() throws {
        let farm = try LiveFarm(uploadLimits: UploadLimits(keepFreeBytes: Int.max / 4))
        let client = try farm.client()
        guard case .error(let upload) = try Self.begin(farm, client, bytes: 1 << 20) else {
            Issue.record("an upload was begun on a full disk"); return
        }
        #expect(upload.message.contains("keeps \(Int.max / 4) free for its database"), "\(upload.message)")
        guard case .error(let submit) = try farm.request(client, try LiveFarm.submit()) else {
            Issue.record("a SUBMIT was taken on a full disk"); return
        }
        #expect(submit.code == .queueFull)
        #expect(submit.message.contains("free for its database"), "\(submit.message)")
        let roomy = try LiveFarm()
        guard case .ok = try Self.begin(roomy, try roomy.client(), bytes: 1 << 20) else {
            Issue.record("an upload was refused with the disk's usual reserve"); return
        }
    }

    @Test func anIdleUploadIsDroppedAndItsFileDeleted() throws {
        let farm = try LiveFarm(uploadLimits: UploadLimits(idleExpiry: 0.2))
        let client = try farm.client()
        guard case .ok(let begun) = try Self.begin(farm, client, bytes: 100), let upload = begun.upload else {
            Issue.record("refused"); return
        }
        let spool = farm.directory.appending("state/spool")
        let deadline = ContinuousClock.now + .seconds(10)
        var dropped: ErrorReply?
        while dropped == nil, ContinuousClock.now < deadline {
            // A chunk at offset 0 that is refused only once the upload is gone.
            if case .error(let error) = try farm.request(client, .uploadChunk(UploadChunk(uploadId: upload.uploadId, offset: 0),
                                                                              bytes: Data([0]))),
               error.message.contains("unknown") {
                dropped = error
            } else {
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        #expect(dropped != nil, "the idle upload was never dropped")
        let parts = try FileManager.default.contentsOfDirectory(atPath: spool).filter { $0.hasPrefix("upload-") }
        #expect(parts.isEmpty, "\(parts)")
    }
}

/// The coordinator takes the hard descriptor limit at start.
@Test func softDescriptorLimitIsRaisedToTheHardOne() {
    var limit = rlimit()
    #expect(getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0)
    let raised = DescriptorBudget.raiseSoftLimit()
    #expect(getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0)
    #expect(limit.rlim_cur == limit.rlim_max)
    #expect(raised >= 1024)
}
