import FarmWire
import Foundation
import Testing

/// FETCH_CLIP and its OK reply, whose bytes travel as binary frame 0.
struct ClipFetchMessageTests {
    static let chunk = ClipChunk(jobId: "3", clipId: 7, file: "rl-video-step-0.mp4", offset: 4, bytes: 5, totalBytes: 9)

    @Test(arguments: [
        ClientRequest.fetchClip(FetchClip(jobId: "3", clipId: 7)),
        .fetchClip(FetchClip(jobId: "3", clipId: 7, offset: 8 << 20, maxBytes: 1024)),
    ])
    func requestsRoundTrip(_ request: ClientRequest) throws {
        #expect(try ClientRequest.parse(request.frames) == request)
    }

    @Test func replyCarriesTheBytesAsABinaryFrame() throws {
        let reply = ClientReply.ok(OkReply(clipChunk: Self.chunk, clipBytes: Data("abcde".utf8)))
        let frames = reply.frames
        #expect(frames.count == 4)
        #expect(frames[3] == Data("abcde".utf8))
        let body = String(decoding: frames[2], as: UTF8.self)
        #expect(body.contains("\"clip_chunk\":{"))
        #expect(body.contains("\"total_bytes\":9"))
        #expect(!body.contains("clip_bytes"), "the bytes are not in the JSON body")
        #expect(try ClientReply.parse(frames) == reply)
    }

    @Test(arguments: [
        (#"{"job_id":"3","clip_id":7,"offset":-1}"#, [Data](), "offset"),
        (#"{"job_id":"3","clip_id":7,"max_bytes":0}"#, [], "max_bytes"),
        (#"{"job_id":"3"}"#, [], "clip_id"),
        (#"{"job_id":"3","clip_id":7}"#, [Data("x".utf8)], "binary"),
    ])
    func badRequestsAreRefused(body: String, binaries: [Data], mentions: String) {
        let frames = [Data(ProtocolVersion.header.utf8), Data("FETCH_CLIP".utf8), Data(body.utf8)] + binaries
        #expect {
            try ClientRequest.parse(frames)
        } throws: { error in
            "\(error)".contains(mentions)
        }
    }

    @Test func replyWhoseFrameDisagreesWithItsCountIsRefused() {
        var frames = ClientReply.ok(OkReply(clipChunk: Self.chunk, clipBytes: Data("abcde".utf8))).frames
        frames[3] = Data("abc".utf8)
        #expect(throws: ProtocolError.self) { try ClientReply.parse(frames) }
        #expect(throws: ProtocolError.self) { try ClientReply.parse(Array(frames.prefix(3))) }
    }

    @Test func chunkSizeIsClamped() {
        #expect(FetchClip(jobId: "1", clipId: 0).chunkBytes == 8 << 20)
        #expect(FetchClip(jobId: "1", clipId: 0, maxBytes: 10).chunkBytes == 10)
        #expect(FetchClip(jobId: "1", clipId: 0, maxBytes: 1 << 30).chunkBytes == 64 << 20)
    }
}
