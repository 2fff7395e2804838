@testable import FarmCore

/// Step-by-step simulations of the two reference recorders, written from their documented
/// behaviour, to check the closed-form schedules against on many parameter combinations.
enum ScheduleOracle {
    struct Clip: Equatable, CustomStringConvertible {
        let file: String
        let steps: [Int]
        var description: String { "\(file) \(steps)" }
    }

    /// gymnasium RecordVideo: `step_id` from 0; a trigger opens a clip (closing an open one); each
    /// recorded step buffers a frame; the clip stops once it buffers more than L; `close()` flushes.
    /// The written file holds the first L frames (measured with gymnasium 1.4.0).
    static func gymnasium(steps total: Int, length: Int, interval: Int) -> [Clip] {
        var clips: [Clip] = []
        var open: (name: String, frames: [Int])?
        func stop() {
            if let clip = open, !clip.frames.isEmpty {
                clips.append(Clip(file: clip.name, steps: Array(clip.frames.prefix(length))))
            }
            open = nil
        }
        for step in 0..<total {
            if step % interval == 0 {
                if open != nil { stop() }
                open = ("rl-video-step-\(step).mp4", [])
            }
            if open != nil {
                open!.frames.append(step)
                if open!.frames.count > length { stop() }
            }
        }
        if open != nil { stop() }
        return clips
    }

    /// Isaac Lab 3 `VideoRecorder.step()` / `close()`.
    static func isaacLab(steps total: Int, length: Int, interval: Int, offset: Int, stride: Int,
                         firstIndex: Int = 0) -> [Clip] {
        var clips: [Clip] = []
        var stepCount = 0
        var framesStepCount = 0
        var recording = false
        var frames: [Int] = []
        var index = firstIndex
        func closeClip() {
            if !frames.isEmpty {
                clips.append(Clip(file: IsaacLabSchedule.fileName(index: index), steps: frames))
                index += 1
            }
            frames = []
            recording = false
        }
        for _ in 0..<total {
            stepCount += 1
            if stepCount <= offset { continue }
            let effective = stepCount - offset
            let trigger = interval <= 0 ? effective == 1 : (effective - 1) % interval == 0
            if trigger {
                if recording { closeClip() }
                recording = true
                framesStepCount = 0
            }
            if recording {
                framesStepCount += 1
                if framesStepCount % stride == 0 { frames.append(stepCount) }
                if framesStepCount >= length { closeClip() }
            }
        }
        if recording && !frames.isEmpty { closeClip() }
        return clips
    }
}

extension PlannedClip {
    var oracleClip: ScheduleOracle.Clip { ScheduleOracle.Clip(file: file, steps: Array(steps)) }
}
