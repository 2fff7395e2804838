/// What became of an accepted clip.
public enum FilingOutcome: Sendable, Equatable {
    /// Written at `path`.
    case filed(path: String)
    /// Not written: under its stream's `keep_last_n_clips`, a newer clip in the folder supersedes it.
    case superseded(reason: String)

    public var path: String? {
        if case .filed(let path) = self { return path }
        return nil
    }

    public var removal: String? {
        if case .superseded(let reason) = self { return reason }
        return nil
    }
}
