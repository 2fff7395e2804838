import FarmCore
import FarmWire
import Foundation

/// The clips the coordinator holds and whether it is filing or paused: one owner for both, changed
/// only through `FilingState`'s transition function.
struct FilingDesk {
    let held: HeldClips
    let retryInterval: Double
    private(set) var state: FilingState = .filing

    init(held: HeldClips, retryInterval: Double) {
        self.held = held
        self.retryInterval = retryInterval
    }

    /// Applies `event`; returns the state before it.
    @discardableResult
    mutating func record(_ event: FilingState.Event) -> FilingState {
        let before = state
        state = state.applying(event, retryInterval: retryInterval)
        return before
    }
}

/// Filing a worker's clip, and holding it when the logs root cannot take it: a full or read-only
/// disk is the coordinator's fault, so the clip is kept in the state directory, the worker is
/// neither charged a retry nor blocklisted, `farmctl status` says filing is paused and why, and
/// held clips are filed as soon as a filing succeeds, every `filingRetryInterval`, or on `farmctl retry`.
extension CoordinatorLoop {
    /// Files `mp4` as `clip` (under its stream's `keep_last_n_clips`); on a storage fault keeps it.
    func fileOrHold(_ mp4: Data, job: TrackedJob, clip: TrackedClip) -> FilingAttempt {
        let result = Result { () throws(FilingError) -> FilingOutcome in
            try fileKeepingLast(mp4, job: job, clip: clip)
        }
        switch result {
        case .success(let outcome):
            // Space came back: earlier clips need not wait for the timer.
            filing.record(.filed(now: config.clock.now()))
            return .done(outcome)
        case .failure(let error) where !error.isStorageFault:
            return .failed(reason: "\(error)")
        case .failure(let error):
            do {
                try filing.held.keep(mp4, as: clip.key)
            } catch {
                return .failed(reason: "\(error)")
            }
            let reason = "filing paused: \(error)"
            if !filing.record(.held(reason: reason, now: config.clock.now())).isPaused {
                logger.error("\(reason); keeping clips in \(filing.held.directory) and retrying every \(config.filingRetryInterval) s")
            }
            return .held(reason: reason)
        }
    }

    /// Tries to file every held clip (or those of `job`); lifts the pause when none is left.
    func retryHeldClips(now: Double, job: JobID? = nil) throws {
        for clip in scheduler.heldClips where job == nil || clip.key.job == job {
            guard let job = scheduler.jobs[clip.key.job] else { continue }
            guard let data = filing.held.data(of: clip.key) else {
                logger.error("held clip \(clip.key) is missing from \(filing.held.path(of: clip.key)); it stays held until the file is put back")
                continue
            }
            do {
                let outcome = try fileKeepingLast(data, job: job, clip: clip)
                filing.held.release(clip.key)
                logger.info("held clip \(clip.key) \(outcome.path.map { "filed → \($0)" } ?? outcome.removal ?? "")")
                try perform(try scheduler.fileHeld(clip.key, outcome, now: now))
            } catch let error as FilingError {
                filing.record(.retryFailed(reason: "filing paused: \(error)", now: now))
                break
            }
        }
        let wasPaused = filing.record(.retryPassEnded(heldLeft: !scheduler.heldClips.isEmpty, now: now)).isPaused
        if wasPaused && !filing.state.isPaused { logger.info("filing resumed: every held clip is filed") }
    }

    /// The pause notice for a job with held clips, and what an operator can do about the job.
    func notices(for record: JobRecord, heldClips: Int) -> (filingPaused: String?, actions: [String]?) {
        var paused: String?
        var actions: [String] = []
        if heldClips > 0 {
            var reason = "filing paused"
            if case .paused(let why, _, _) = filing.state { reason = why }
            paused = "\(reason). \(heldClips) rendered clip(s) are kept in \(filing.held.directory) and filed automatically "
                + "every \(Int(config.filingRetryInterval)) s once the logs root takes them"
            actions.append("free space (or fix permissions) under \(config.logsRoot), then wait, or file at once: farmctl retry \(record.id)")
        }
        if record.state == .failed {
            actions.append("render the \(record.clipsFailed) failed clip(s) again: farmctl retry \(record.id)")
        }
        return (paused, actions.isEmpty ? nil : actions)
    }
}
