/// What a request path asks for. Only these exist; anything else is 404, and no route takes a file
/// path from the URL: clips are addressed by job and clip id and looked up in the store.
enum MonitorRoute: Equatable {
    case dashboard
    case metrics
    /// The dashboard's data: the selected job (nil: the newest) and the first clip of its page.
    case state(job: Int64?, offset: Int)
    /// A filed clip's MP4.
    case clip(job: Int64, index: Int)
    case notFound

    /// `target` is the request line's target (path and query, still percent-encoded).
    init(target: String) {
        let pieces = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = String(pieces[0])
        let query = pieces.count > 1 ? Self.query(String(pieces[1])) : [:]
        switch path {
        case "/", "/index.html": self = .dashboard
        case "/metrics": self = .metrics
        case "/api/state":
            let job = query["job"].flatMap { Int64($0) }
            let offset = query["offset"].flatMap { Int($0) }.map { max(0, $0) } ?? 0
            self = query["job"] != nil && job == nil ? .notFound : .state(job: job, offset: offset)
        default:
            self = Self.clip(path) ?? .notFound
        }
    }

    /// `/clips/<job>/<index>.mp4`, digits only: nothing else can name a clip.
    private static func clip(_ path: String) -> MonitorRoute? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0].isEmpty, parts[1] == "clips", parts[3].hasSuffix(".mp4") else { return nil }
        let index = parts[3].dropLast(4)
        guard Self.isDigits(parts[2]), Self.isDigits(index), let job = Int64(parts[2]), let clip = Int(index) else {
            return nil
        }
        return .clip(job: job, index: clip)
    }

    private static func isDigits(_ text: Substring) -> Bool {
        !text.isEmpty && text.count <= 18 && text.allSatisfy { $0 >= "0" && $0 <= "9" }
    }

    private static func query(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if kv.count == 2 { fields[String(kv[0])] = String(kv[1]) }
        }
        return fields
    }
}
