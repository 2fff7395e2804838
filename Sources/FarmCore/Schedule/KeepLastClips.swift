/// Isaac Lab 3's `keep_last_n_clips` for one `output_filename_prefix` in one folder. Its recorder,
/// right after writing clip i, deletes every clip of the prefix whose index is below `i + 1 − N`
/// (`_maybe_delete_old_clips`). The farm files clips as they finish, not always in index order, so
/// it measures from the highest index present in the folder: with clips filed in order that is
/// the clip just written, and whatever the order, the folder ends holding the N newest clips. A
/// clip whose index is already below that cutoff when it arrives is superseded and not written.
/// Only complete clips (final names) count: a clip being written has a temporary name and can
/// neither supersede nor be deleted.
public struct KeepLastClips: Sendable, Hashable {
    public let prefix: String
    /// N ≥ 1.
    public let count: Int

    public init(prefix: String, count: Int) {
        precondition(count >= 1, "keep_last_n_clips keeps at least one clip")
        self.prefix = prefix
        self.count = count
    }

    /// Clips of this prefix below this index are superseded; nil when the folder holds none.
    public func cutoff<Names: Sequence<String>>(existingFileNames names: Names) -> Int? {
        let newest = IsaacLabClipNaming.nextClipIndex(prefix: prefix, existingFileNames: names) - 1
        return newest < 0 ? nil : newest + 1 - count
    }

    /// The names of the clips of this prefix to delete, lowest index first.
    public func superseded<Names: Collection<String>>(existingFileNames names: Names) -> [String] {
        guard let cutoff = cutoff(existingFileNames: names) else { return [] }
        return names.compactMap { name in
            IsaacLabClipNaming.clipIndex(ofFileName: name, prefix: prefix).flatMap { $0 < cutoff ? (name, $0) : nil }
        }
        .sorted { $0.1 < $1.1 }.map(\.0)
    }

    /// The newest clip in the folder when it supersedes the clip `index`; nil when `index` may be kept.
    public func supersedingClip<Names: Sequence<String>>(of index: Int, existingFileNames names: Names) -> String? {
        let newest = IsaacLabClipNaming.nextClipIndex(prefix: prefix, existingFileNames: names) - 1
        guard newest >= 0, index < newest + 1 - count else { return nil }
        return IsaacLabClipNaming.fileName(prefix: prefix, index: newest)
    }
}
