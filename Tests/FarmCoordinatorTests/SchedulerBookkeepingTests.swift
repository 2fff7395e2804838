import Testing
@testable import FarmCoordinator

/// The scheduler's indexes: pending clips in dispatch order without rescans, open-clip counts that
/// refuse to go below zero.
struct SchedulerBookkeepingTests {
    @Test func pendingClipsKeepJobAndClipOrderWhateverTheInsertionOrder() {
        var pending = PendingClips()
        for key in [ClipKey(job: 2, index: 3), ClipKey(job: 1, index: 5), ClipKey(job: 2, index: 0),
                    ClipKey(job: 1, index: 1), ClipKey(job: 1, index: 5)] {
            pending.insert(key)
        }
        #expect(pending.all == [ClipKey(job: 1, index: 1), ClipKey(job: 1, index: 5), ClipKey(job: 2, index: 0),
                                ClipKey(job: 2, index: 3)])
        #expect(pending.jobs == [1, 2] && pending.count == 4)
        pending.remove(ClipKey(job: 1, index: 1))
        pending.remove(ClipKey(job: 1, index: 9))
        #expect(pending.indices(of: 1) == [5])
        pending.remove(ClipKey(job: 1, index: 5))
        #expect(pending.jobs == [2], "a job with no pending clip leaves the index")
        #expect(pending.removeAll(of: 2) == [ClipKey(job: 2, index: 0), ClipKey(job: 2, index: 3)])
        #expect(pending.isEmpty && pending.all.isEmpty)
    }

    @Test func closingMoreClipsThanAreOpenIsAMiscountNotAHiddenZero() throws {
        var open = OpenClipCounts()
        open.open(2, of: 7)
        try open.close(of: 7)
        #expect(!open.isSettled(7))
        try open.close(of: 7)
        #expect(open.isSettled(7))
        #expect(throws: OpenClipCounts.Miscount.self) { try open.close(of: 7) }
        #expect(throws: OpenClipCounts.Miscount.self) { try open.close(of: 8) }
        #expect(open.isSettled(7), "a miscount leaves the count at zero")
    }
}
