import FarmWire
import Foundation

/// Replies to clients that are still on their way: handed to libzmq, not yet written to the
/// connection. A client that pipelines requests and never reads (FETCH_CLIP chunks of a big clip,
/// or pages of a big job) would otherwise keep up to a thousand replies per connection in the
/// coordinator's memory. Past `perConnection` unread bytes a connection's requests are refused
/// until it reads, and past `total` so are those of every connection with replies still unread.
/// A client that waits for each reply before its next request never has any unread.
struct ReplyBacklog {
    /// 64 MiB: one FETCH_CLIP chunk of the largest size (`max_fetch_chunk_bytes`).
    static let perConnection = 64 << 20
    /// 1 GiB in all.
    static let total = 1 << 30

    private var byConnection: [Data: OutboundBytes] = [:]
    private let all = OutboundBytes()

    /// The counters a reply to `identity` counts in (`ZMQSocket.send(_:wait:counting:)`).
    mutating func counters(for identity: Data) -> [OutboundBytes] {
        if byConnection.count > 4096 { byConnection = byConnection.filter { $0.value.pending > 0 } }
        if let counter = byConnection[identity] { return [counter, all] }
        let counter = OutboundBytes()
        byConnection[identity] = counter
        return [counter, all]
    }

    /// Why `identity`'s next request is not answered now, or nil.
    func refusal(for identity: Data) -> String? {
        let unread = byConnection[identity]?.pending ?? 0
        if unread > Self.perConnection {
            return "\(unread) bytes of replies to this connection are still unread, more than the coordinator "
                + "queues for one (\(Self.perConnection)); read them before asking more"
        }
        if unread > 0 && all.pending > Self.total {
            return "the coordinator holds \(all.pending) bytes of replies clients have not read, the most it queues, "
                + "\(unread) of them this connection's; read them before asking more"
        }
        return nil
    }
}
