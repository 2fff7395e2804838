import FarmCore
import FarmWire
import Foundation
import Logging

/// Filing: putting workers' clips into run folders (under their streams' `keep_last_n_clips`, see
/// ClipRetention), and holding them when the logs root cannot take them. A full or read-only disk
/// is the coordinator's fault, so the clip is kept in the state directory, the worker is neither
/// charged a retry nor blocklisted, `farmctl status` says filing is paused and why, and held clips
/// are filed as soon as a filing succeeds, every `filingRetryInterval`, or on `farmctl retry`.
/// Owns the held clips and the pause, which changes only through `FilingState`'s transition function.
final class FilingDesk {
    let held: HeldClips
    let filer: ClipFiler
    let config: CoordinatorConfig
    let logger: Logger
    let scheduler: Scheduler
    let store: CoordinatorStore
    private(set) var state: FilingState = .filing

    init(held: HeldClips, filer: ClipFiler, config: CoordinatorConfig, logger: Logger, scheduler: Scheduler,
         store: CoordinatorStore) {
        self.held = held
        self.filer = filer
        self.config = config
        self.logger = logger
        self.scheduler = scheduler
        self.store = store
    }

    /// Applies `event`; returns the state before it.
    @discardableResult
    func record(_ event: FilingState.Event) -> FilingState {
        let before = state
        state = state.applying(event, retryInterval: config.filingRetryInterval)
        return before
    }

    /// Files `mp4` as `clip` (under its stream's `keep_last_n_clips`); on a storage fault keeps it.
    func fileOrHold(_ mp4: Data, job: TrackedJob, clip: TrackedClip) -> FilingAttempt {
        let result = Result { () throws(FilingError) -> FilingOutcome in
            try fileKeepingLast(mp4, job: job, clip: clip)
        }
        switch result {
        case .success(let outcome):
            // Space came back: earlier clips need not wait for the timer.
            record(.filed(now: config.clock.now()))
            return .done(outcome)
        case .failure(let error) where !error.isStorageFault:
            return .failed(reason: "\(error)")
        case .failure(let error):
            do {
                try held.keep(mp4, as: clip.key)
            } catch {
                return .failed(reason: "\(error)")
            }
            let reason = "filing paused: \(error)"
            if !record(.held(reason: reason, now: config.clock.now())).isPaused {
                logger.error("\(reason); keeping clips in \(held.directory) and retrying every \(config.filingRetryInterval) s")
            }
            return .held(reason: reason)
        }
    }

    /// Tries to file every held clip (or those of `job`); lifts the pause when none is left.
    func retryHeldClips(now: Double, job: JobID? = nil, performer: some EffectPerforming) throws {
        for clip in scheduler.heldClips where job == nil || clip.key.job == job {
            guard let job = scheduler.jobs[clip.key.job] else { continue }
            guard let data = held.data(of: clip.key) else {
                logger.error("held clip \(clip.key) is missing from \(held.path(of: clip.key)); it stays held until the file is put back")
                continue
            }
            do {
                let outcome = try fileKeepingLast(data, job: job, clip: clip)
                held.release(clip.key)
                logger.info("held clip \(clip.key) \(outcome.path.map { "filed → \($0)" } ?? outcome.removal ?? "")")
                try performer.perform(try scheduler.fileHeld(clip.key, outcome, now: now))
            } catch let error as FilingError {
                record(.retryFailed(reason: "filing paused: \(error)", now: now))
                break
            }
        }
        let wasPaused = record(.retryPassEnded(heldLeft: !scheduler.heldClips.isEmpty, now: now)).isPaused
        if wasPaused && !state.isPaused { logger.info("filing resumed: every held clip is filed") }
    }

    /// The pause notice for a job with held clips, and what an operator can do about the job.
    func notices(for record: JobRecord, heldClips: Int) -> (filingPaused: String?, actions: [String]?) {
        var paused: String?
        var actions: [String] = []
        if heldClips > 0 {
            var reason = "filing paused"
            if case .paused(let why, _, _) = state { reason = why }
            paused = "\(reason). \(heldClips) rendered clip(s) are kept in \(held.directory) and filed automatically "
                + "every \(Int(config.filingRetryInterval)) s once the logs root takes them"
            actions.append("free space (or fix permissions) under \(config.logsRoot), then wait, or file at once: farmctl retry \(record.id)")
        }
        if record.state == .failed {
            actions.append("render the \(record.clipsFailed) failed clip(s) again: farmctl retry \(record.id)")
        }
        return (paused, actions.isEmpty ? nil : actions)
    }

    /// At start: held clips no unfinished job claims go, those that are claimed pause filing until
    /// they are filed, and a killed coordinator's temporaries and unfinished deletions are dealt with.
    func resume() {
        removeStaleTemporaries()
        enforceRetentionOfUnfinishedJobs()
        for path in held.removeAll(except: Set(scheduler.heldClips.map(\.key))) {
            logger.info("removed a held clip no unfinished job claims: \(path)")
        }
        if let first = scheduler.heldClips.first {
            record(.restoredHeldClips(reason: first.error ?? "filing failed before the restart", now: config.clock.now()))
            logger.warning("\(scheduler.heldClips.count) clip(s) held from before the restart; filing them when the logs root takes them")
        }
    }

    /// A coordinator killed while filing leaves its temporary beside the clip: remove this state
    /// directory's temporaries from the video folders of the jobs it is resuming.
    private func removeStaleTemporaries() {
        var files: [JobID: [String]] = [:]
        for clip in scheduler.clips.values { files[clip.key.job, default: []].append(clip.plan.file) }
        for (id, job) in scheduler.jobs {
            let removed = filer.removeStaleTemporaries(workflow: job.spec.workflow, task: job.spec.task, run: job.spec.run,
                                                       files: files[id] ?? [])
            for path in removed { logger.info("removed a temporary left by a killed coordinator: \(path)") }
        }
    }
}
