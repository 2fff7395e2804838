import FarmCore
import Foundation

/// What a worker may say about itself in READY. Its id is also its routing identity, a metrics
/// label, a dashboard row and a word in every log line about it; its host, GL strings, version and
/// encoders are shown and logged too. A peer holding a worker key must not be able to forge a log
/// line or break a page with them.
public enum WorkerIdentity {
    /// `worker_id` is at most this many bytes.
    public static let maxIdBytes = 128
    /// Each other READY text (host, GL vendor and renderer, version, each encoder) is at most this many bytes.
    public static let maxTextBytes = 256

    /// Why `id` cannot be a worker id (nil when it can): 1 to `maxIdBytes` bytes of ASCII letters,
    /// digits and `.`, `_`, `:`, `@`, `+`, `-`, as hostnames, pod names and `host-pid-random` are.
    public static func idProblem(_ id: String) -> String? {
        let bytes = id.utf8.count
        guard (1...maxIdBytes).contains(bytes) else { return "is \(bytes) bytes; it must be 1 to \(maxIdBytes)" }
        guard let bad = id.unicodeScalars.first(where: { !isIdCharacter($0) }) else { return nil }
        return "\"\(OneLine.escaped(id))\" contains U+\(OneLine.hex(bad.value)); use ASCII letters, digits and . _ : @ + -"
    }

    /// Why READY text cannot be shown (nil when it can): over `maxTextBytes`, or a character that
    /// would break its line (`OneLine`).
    public static func textProblem(_ text: String) -> String? {
        let bytes = text.utf8.count
        guard bytes <= maxTextBytes else { return "is \(bytes) bytes; it must be at most \(maxTextBytes)" }
        guard let bad = OneLine.forbiddenScalar(in: text) else { return nil }
        return "\"\(OneLine.escaped(text))\" contains U+\(OneLine.hex(bad.value)), which would break a log line"
    }

    /// `host` as a worker id's first part: characters an id may not hold become `-`.
    public static func idPart(_ host: String) -> String {
        // ASCII only from here, so 64 characters are 64 bytes.
        let part = String(String.UnicodeScalarView(host.unicodeScalars.prefix(64).map { isIdCharacter($0) ? $0 : "-" }))
        return part.isEmpty ? "worker" : part
    }

    /// A worker's DEALER routing identity, made once per process: `<worker id>/<32 random hex
    /// digits>`. The same across its reconnects, so ROUTER handover gives a reconnecting worker its
    /// route back; unguessable, so no other peer can connect under it and take that route over.
    public static func routingIdentity(workerId: String) -> Data {
        let random = (0..<2).map { _ in String(UInt64.random(in: .min ... .max), radix: 16) }
            .map { String(repeating: "0", count: 16 - $0.count) + $0 }.joined()
        return Data("\(workerId)/\(random)".utf8)
    }

    /// The worker id a routing identity speaks for before its READY is seen: the part before `/`
    /// (the whole identity for a worker that sets its id alone, as older ones do).
    public static func workerId(fromRoutingIdentity identity: Data) -> String {
        let text = String(decoding: identity, as: UTF8.self)
        return text.firstIndex(of: "/").map { String(text[..<$0]) } ?? text
    }

    private static func isIdCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "_", ":", "@", "+", "-": true
        default: false
        }
    }
}

extension Ready {
    /// The first field READY must not carry as it is, and why (see `WorkerIdentity`).
    func problem() -> (field: String, reason: String)? {
        if let reason = WorkerIdentity.idProblem(workerId) { return ("worker_id", reason) }
        let texts = [("host", host), ("device.gl_vendor", device.glVendor), ("device.gl_renderer", device.glRenderer),
                     ("version", version)] + encoders.map { ("encoders", $0) } + [("device.drm_path", device.drmPath ?? "")]
        for (field, text) in texts {
            if let reason = WorkerIdentity.textProblem(text) { return (field, reason) }
        }
        return nil
    }
}
