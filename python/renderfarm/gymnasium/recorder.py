"""The recording state shared by the single-env and vector RecordVideo wrappers: gymnasium 1.4's
public attributes (``episode_trigger``, ``step_trigger``, ``video_length``, ``name_prefix``,
``video_folder``, ``frames_per_sec``, ``recording``, ``step_id``, ``episode_id``, ...), its
``start_recording``/``stop_recording``, and its step-by-step semantics, with each clip's frames held
as body poses and handed to the farm.

gymnasium's ``RecordVideo`` starts a clip when ``step_trigger(step_id)`` fires after a step
(``{prefix}-step-{step_id}``) or ``episode_trigger(episode_id)`` fires at a reset
(``{prefix}-episode-{episode_id}``, starting with the reset frame); a new trigger ends the clip in
progress; with ``video_length=0`` a clip runs to the next reset; ``close`` flushes a partial clip.
A fixed ``video_length`` L: gymnasium holds L + 1 frames and stops at the capture after the L-th
(whether moviepy keeps the extra frame depends on rounding). The farm hands the clip over with
exactly L frames as soon as it has them and, like gymnasium, stays ``recording`` until that next
capture, where it stops without a frame (configs/README.md).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from gymnasium import logger as gym_logger

from ..client import FarmClient
from ..client.courier import ClipBatching, ClipCourier, ClipOrder, LandedClip, OnClip
from ..client.runs import run_job_fields
from .mujoco_capture import ClipFrames, MujocoScene

log = logging.getLogger("renderfarm.gymnasium")

#: Frames a clip of no fixed length (``video_length=0``) has room for before its array doubles.
EPISODE_CLIP_CAPACITY = 256

DEFAULT_PRESETS = ("newton_mjwarp",)


def capped_cubic_video_schedule(episode_id: int) -> bool:
    """gymnasium's default episode trigger: episodes 0, 1, 8, 27, ... up to 1000, then every 1000th."""
    if episode_id < 1000:
        return int(round(episode_id ** (1.0 / 3))) ** 3 == episode_id
    return episode_id % 1000 == 0


def render_size(env: Any, width: int | None, height: int | None) -> tuple[int, int]:
    """The frame size: explicit, else the MuJoCo env's render size, else 640×480."""
    inner = env.unwrapped
    return (int(width or getattr(inner, "width", 0) or 640), int(height or getattr(inner, "height", 0) or 480))


def playback_fps(env: Any, fps: int | None) -> float:
    """The clips' frame rate, as gymnasium's RecordVideo resolves it: ``fps``, else the env's
    ``metadata["render_fps"]``, else 30."""
    return fps if fps is not None else env.metadata.get("render_fps", 30)


def farm_job(presets: Sequence[str], size: tuple[int, int], placement: dict[str, Any]) -> dict[str, Any]:
    """SUBMIT fields every clip of a wrapper shares."""
    return {"presets": list(presets), "width": size[0], "height": size[1], **placement}


def clip_batching(capture: MujocoScene, fps: float) -> ClipBatching | None:
    """Clips handed over while earlier ones render go to the farm together, one job for up to 16
    (docs/BENCHMARKS.md, trainer): their poses end to end in one rollout, one stream each, which
    plays at a whole number of frames per second; a fractional ``fps`` submits clips one by one."""
    if not float(fps).is_integer():
        return None
    return ClipBatching(lambda body_q: capture.encoder.encode(body_q), int(fps))


class FarmRecording:
    """gymnasium ``RecordVideo``'s recording state over a ``MujocoScene`` capture and a ``ClipCourier``;
    mixed in before ``gym.Wrapper``/``VectorWrapper``."""

    def _init_recording(self, capture: MujocoScene, video_folder: str, *,
                        episode_trigger: Callable[[int], bool] | None, step_trigger: Callable[[int], bool] | None,
                        video_length: int, name_prefix: str, fps: float, disable_logger: bool,
                        gc_trigger: Callable[[int], bool] | None, env_id: str, job: dict[str, Any],
                        endpoint: str | None, on_clip: OnClip | None, close_timeout: float, queue_size: int,
                        submit_timeout: float) -> None:
        if episode_trigger is None and step_trigger is None:
            episode_trigger = capped_cubic_video_schedule
        self.episode_trigger = episode_trigger
        self.step_trigger = step_trigger
        # Kept as gymnasium keeps them; the farm has no moviepy to log and holds no frames to collect.
        self.disable_logger = disable_logger
        self.gc_trigger = gc_trigger
        self.video_folder = os.path.abspath(video_folder)
        os.makedirs(self.video_folder, exist_ok=True)
        self.frames_per_sec = fps
        self.name_prefix = name_prefix
        self.video_length: float = video_length if video_length != 0 else float("inf")
        self.recording = False
        self.step_id = -1
        self.episode_id = -1
        self.close_timeout = close_timeout
        self.missing_clips: list[str] = []
        self._capture = capture
        self._video_name: str | None = None
        self._frames: ClipFrames | None = None
        self._first_step = 0
        self._handed_over = False
        # gymnasium's RecordVideo writes over a clip file of the same name (it warns once, at start):
        # so does the farm when it files the clip itself.
        self._courier = ClipCourier(
            self.video_folder, {**run_job_fields(Path(self.video_folder), env_id), **job, "overwrite": True},
            on_clip=on_clip, batching=clip_batching(capture, fps),
            queue_size=queue_size, client_factory=lambda: FarmClient(endpoint, timeout=submit_timeout))

    def start_recording(self, video_name: str) -> None:
        """Starts a clip named ``video_name`` (``.mp4`` added), ending the one in progress."""
        if self.recording:
            self.stop_recording()
        self.recording = True
        self._video_name = video_name

    def stop_recording(self) -> None:
        """Ends the clip in progress and hands it to the farm (never blocks)."""
        assert self.recording, "stop_recording was called, but no recording was started"
        if self._frames is None:
            gym_logger.warn("Ignored saving a video as there were zero frames to save.")
        elif not self._handed_over:
            self._hand_over()
        self._frames, self._handed_over = None, False
        self.recording = False
        self._video_name = None

    def _new_episode(self) -> None:
        """A reset (or env 0's autoreset): the episode's trigger, and the end of a clip of whole episodes."""
        self.episode_id += 1
        if self.recording and self.video_length == float("inf"):
            self.stop_recording()
        if self.episode_trigger and self.episode_trigger(self.episode_id):
            self.start_recording(f"{self.name_prefix}-episode-{self.episode_id}")

    def _after_step(self) -> None:
        self.step_id += 1
        if self.step_trigger and self.step_trigger(self.step_id):
            self.start_recording(f"{self.name_prefix}-step-{self.step_id}")
        if self.recording:
            self._capture_frame(self.step_id)

    def _capture_frame(self, step: int) -> None:
        """Copies the poses of ``step`` (a reset's frame counts as the next step); a clip that already
        holds its ``video_length`` frames stops here instead, where gymnasium's takes its extra one."""
        if self._frames is None:
            capacity = EPISODE_CLIP_CAPACITY if self.video_length == float("inf") else int(self.video_length)
            self._frames, self._first_step = ClipFrames(self._capture.frame_shape, capacity), step
        elif self._frames.count >= self.video_length:
            self.stop_recording()
            return
        self._capture.snapshot_into(self._frames.next_frame())
        if self._frames.count == self.video_length:
            self._hand_over()

    def _hand_over(self) -> None:
        assert self._frames is not None
        frames, first_step, capture = self._frames.frames(), self._first_step, self._capture
        self._courier.send(ClipOrder(f"{self._video_name}.mp4", first_step, len(frames),
                                     lambda: capture.rollout(frames, first_step=first_step),
                                     poses=lambda: capture.body_q(frames)))
        self._handed_over = True

    @property
    def dropped_clips(self) -> int:
        """Clips not submitted because the farm was down or its queue was full."""
        return len(self._courier.dropped)

    @property
    def landed_clips(self) -> list[LandedClip]:
        """``LandedClip`` records (path, first step, frames, latency, fetched) of the clips in place."""
        return list(self._courier.landed)

    def close(self, timeout: float | None = None) -> list[str]:
        """Closes the env, ends the clip in progress and waits up to ``timeout`` (default
        ``close_timeout``) seconds for outstanding clips; returns (and logs) those that did not land."""
        super().close()  # type: ignore[misc]  # the gymnasium wrapper after this mixin in the MRO
        if self.recording:
            self.stop_recording()
        self.missing_clips = self._courier.close(self.close_timeout if timeout is None else timeout)
        if self.missing_clips:
            log.warning("renderfarm: %d clip(s) did not land in %s: %s", len(self.missing_clips), self.video_folder,
                        ", ".join(self.missing_clips))
        return self.missing_clips
