import FarmCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `keep_last_n_clips` at the coordinator (`KeepLastClips` holds the rule): a stream's clip is
/// filed unless a newer clip of its prefix already supersedes it, and once filed, the clips it
/// supersedes are deleted and noted on their records. Only clips the farm's own state records as
/// filed in the folder count or are deleted (unlike Isaac Lab's recorder, which also deletes an
/// earlier run's matching files): a user's file of a matching name, or another job's planned
/// name, is never touched. Deletion goes through `ContainedPath` (no symlinked folder followed) and
/// removes only a regular file.
extension FilingDesk {
    /// Files `data` as `clip` of `job`, applying its stream's `keep_last_n_clips`.
    func fileKeepingLast(_ data: Data, job: TrackedJob, clip: TrackedClip) throws(FilingError) -> FilingOutcome {
        let spec = job.spec
        guard let rule = keepRule(spec.stream(clip.plan.stream)),
              let index = IsaacLabClipNaming.clipIndex(ofFileName: clip.plan.file, prefix: rule.prefix) else {
            return .filed(path: try filer.file(data, workflow: spec.workflow, task: spec.task, run: spec.run,
                                               file: clip.plan.file))
        }
        let directory = try filer.layout(workflow: spec.workflow, task: spec.task, run: spec.run).videoDirectory
        if let newer = rule.supersedingClip(of: index, existingFileNames: filedNames(in: directory)) {
            return .superseded(reason: "not filed: \(newer) is newer and the stream keeps its last \(rule.count) "
                + "clip(s) (keep_last_n_clips)")
        }
        let path = try filer.file(data, workflow: spec.workflow, task: spec.task, run: spec.run, file: clip.plan.file)
        // The clip just filed is not yet recorded as done: it counts as filed here.
        enforce(rule, in: directory, alsoFiled: clip.plan.file)
        return .filed(path: path)
    }

    /// A coordinator killed between filing a clip and deleting what it superseded finishes the job:
    /// each unfinished job's streams with `keep_last_n_clips` are applied to their folders once.
    func enforceRetentionOfUnfinishedJobs() {
        var seen: Set<String> = []
        for job in scheduler.jobs.values.sorted(by: { $0.id < $1.id }) {
            guard let directory = try? filer.layout(workflow: job.spec.workflow, task: job.spec.task,
                                                    run: job.spec.run).videoDirectory else { continue }
            for rule in job.spec.streams.compactMap(keepRule) where seen.insert("\(directory)\n\(rule.prefix)").inserted {
                enforce(rule, in: directory)
            }
        }
    }

    private func keepRule(_ stream: StreamSpec) -> KeepLastClips? {
        guard let count = stream.keepLastNClips, count >= 1 else { return nil }
        return KeepLastClips(prefix: stream.prefix ?? IsaacLabSchedule.namePrefix, count: count)
    }

    /// Deletes the filed clips `rule` supersedes in `directory` and notes why on their records.
    private func enforce(_ rule: KeepLastClips, in directory: String, alsoFiled justFiled: String? = nil) {
        let names = filedNames(in: directory) + (justFiled.map { [$0] } ?? [])
        let newest = IsaacLabClipNaming.fileName(
            prefix: rule.prefix, index: IsaacLabClipNaming.nextClipIndex(prefix: rule.prefix, existingFileNames: names) - 1)
        var removals: [(path: String, reason: String)] = []
        for name in rule.superseded(existingFileNames: names) {
            let path = (directory as NSString).appendingPathComponent(name)
            do {
                try Self.removeFiledClip(at: path, logsRoot: config.logsRoot)
            } catch {
                logger.warning("keep_last_n_clips \(rule.count): not deleting \(path): \(error)")
                continue
            }
            logger.info("keep_last_n_clips \(rule.count): deleted \(path), superseded by \(newest)")
            removals.append((path, "deleted: superseded by \(newest) (keep_last_n_clips \(rule.count))"))
        }
        guard !removals.isEmpty else { return }
        do {
            try store.batch("note removed clips") { batch in
                for removal in removals { try batch.markRemoved(path: removal.path, reason: removal.reason) }
            }
            try scheduler.noteRemoved(removals)
        } catch {
            logger.error("keep_last_n_clips: deleted \(removals.count) clip(s) but could not note it: \(error)")
        }
    }

    /// Names the farm filed in the run's video folder (none for a name the planner will refuse).
    func filedFiles(workflow: String, task: String, run: String) throws(StoreError) -> [String] {
        guard let directory = try? filer.layout(workflow: workflow, task: task, run: run).videoDirectory else { return [] }
        return try store.filedClipNames(in: directory)
    }

    /// The clips the farm's state records as filed in `directory`; none when the store cannot say.
    private func filedNames(in directory: String) -> [String] {
        do {
            return try store.filedClipNames(in: directory)
        } catch {
            logger.error("keep_last_n_clips: cannot list the clips filed in \(directory): \(error)")
            return []
        }
    }

    /// Unlinks a regular file at `path` reached without following a link; a file already gone is fine.
    private static func removeFiledClip(at path: String, logsRoot: String) throws(ContainedPathError) {
        let contained = try ContainedPath(path, under: logsRoot)
        let directory: Int32
        do {
            directory = try contained.openParent(create: false)
        } catch {
            if case .system(_, _, ENOENT) = error { return }
            throw error
        }
        defer { close(directory) }
        var info = stat()
        guard fstatat(directory, contained.name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            if errno == ENOENT { return }
            throw .system(operation: "inspect", path: path, errno: errno)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .notARegularFile(path: path) }
        guard unlinkat(directory, contained.name, 0) == 0 || errno == ENOENT else {
            throw .system(operation: "delete", path: path, errno: errno)
        }
    }
}
