import FarmCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `keep_last_n_clips` at the coordinator (`KeepLastClips` holds the rule): a stream's clip is
/// filed unless a newer clip of its prefix already supersedes it, and once filed, the clips it
/// supersedes are deleted and noted on their records. Only complete clips under their final names
/// are ever deleted, and only those below the cutoff the folder's newest clip sets, so neither a
/// clip being written nor, after a restart, a clip nothing newer supersedes is touched.
extension Coordinator {
    /// Files `data` as `clip` of `job`, applying its stream's `keep_last_n_clips`.
    func fileKeepingLast(_ data: Data, job: TrackedJob, clip: TrackedClip) throws(FilingError) -> FilingOutcome {
        let spec = job.spec
        guard let rule = keepRule(spec.stream(clip.plan.stream)),
              let index = IsaacLabClipNaming.clipIndex(ofFileName: clip.plan.file, prefix: rule.prefix) else {
            return .filed(path: try filer.file(data, workflow: spec.workflow, task: spec.task, run: spec.run,
                                               file: clip.plan.file))
        }
        let directory = try filer.layout(workflow: spec.workflow, task: spec.task, run: spec.run).videoDirectory
        if let newer = rule.supersedingClip(of: index, existingFileNames: Self.fileNames(in: directory)) {
            return .superseded(reason: "not filed: \(newer) is newer and the stream keeps its last \(rule.count) "
                + "clip(s) (keep_last_n_clips)")
        }
        let path = try filer.file(data, workflow: spec.workflow, task: spec.task, run: spec.run, file: clip.plan.file)
        enforce(rule, in: directory)
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

    /// Deletes the clips `rule` supersedes in `directory` and notes why on every clip filed there.
    private func enforce(_ rule: KeepLastClips, in directory: String) {
        let names = Self.fileNames(in: directory)
        let newest = IsaacLabClipNaming.fileName(
            prefix: rule.prefix, index: IsaacLabClipNaming.nextClipIndex(prefix: rule.prefix, existingFileNames: names) - 1)
        var removals: [(path: String, reason: String)] = []
        for name in rule.superseded(existingFileNames: names) {
            let path = (directory as NSString).appendingPathComponent(name)
            guard unlink(path) == 0 || errno == ENOENT else {
                logger.warning("keep_last_n_clips \(rule.count): cannot delete \(path): \(String(cString: strerror(errno)))")
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

    private static func fileNames(in directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }
}
