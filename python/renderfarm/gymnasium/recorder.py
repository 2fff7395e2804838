"""The recording logic shared by the single-env and vector RecordVideo wrappers: gymnasium 1.4's
triggers and clip boundaries, with the farm's frame counts, and nothing else on the training thread.

gymnasium's ``RecordVideo`` starts a clip when ``step_trigger(step_id)`` fires after a step
(``{prefix}-step-{step_id}``) or ``episode_trigger(episode_id)`` fires at a reset
(``{prefix}-episode-{episode_id}``, starting with the reset frame); a new trigger ends the clip in
progress; a fixed ``video_length`` L ends it once L frames are held (gymnasium buffers one more and
whether moviepy keeps it depends on rounding; the farm writes exactly L, configs/README.md); with
``video_length=0`` a clip runs to the next reset; ``close`` flushes a partial clip.
"""

from __future__ import annotations

import logging
import math
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ..client import FarmClient
from ..client.courier import ClipCourier, ClipOrder, OnClip

log = logging.getLogger("renderfarm.gymnasium")


def capped_cubic_video_schedule(episode_id: int) -> bool:
    """gymnasium's default episode trigger: episodes 0, 1, 8, 27, ... up to 1000, then every 1000th."""
    if episode_id < 1000:
        return int(round(episode_id ** (1.0 / 3))) ** 3 == episode_id
    return episode_id % 1000 == 0


def run_folder(video_folder: Path, env_id: str) -> dict[str, str]:
    """workflow/task/run for a job whose clips should land in ``video_folder``: the folder's own
    ``<workflow>/<task>/<run>/videos/train`` names when it has that shape (filed there directly if it
    is under the coordinator's logs root), else a run of the ``renderfarm`` workflow named after the
    env and the time (the clips are then fetched into ``video_folder``)."""
    parts = video_folder.parts
    if len(parts) >= 6 and parts[-2:] == ("videos", "train"):
        return {"workflow": parts[-5], "task": parts[-4], "run": parts[-3]}
    safe_id = "".join(c if c.isalnum() or c in "-_." else "_" for c in env_id) or "env"
    return {"workflow": "renderfarm", "task": safe_id,
            "run": time.strftime("%Y-%m-%d_%H-%M-%S") + f"_{os.getpid()}"}


class ClipRecorder:
    def __init__(self, capture, video_folder: str, *, episode_trigger: Callable[[int], bool] | None,
                 step_trigger: Callable[[int], bool] | None, video_length: int, name_prefix: str, fps: float,
                 env_id: str, endpoint: str | None, on_clip: OnClip | None, camera: dict[str, Any],
                 presets: tuple[str, ...], width: int, height: int, queue_size: int, submit_timeout: float,
                 camera_for_clip: Callable[[], dict[str, Any]] | None = None):
        if episode_trigger is None and step_trigger is None:
            episode_trigger = capped_cubic_video_schedule
        self.capture = capture
        self.episode_trigger = episode_trigger
        self.step_trigger = step_trigger
        self.video_length = video_length if video_length != 0 else math.inf
        self.name_prefix = name_prefix
        self.step_dt = 1.0 / fps
        self.video_folder = Path(video_folder).absolute()
        self.video_folder.mkdir(parents=True, exist_ok=True)
        self._camera_for_clip = camera_for_clip
        job = {**run_folder(self.video_folder, env_id), "presets": list(presets), "width": width, "height": height,
               **camera}
        self.courier = ClipCourier(self.video_folder, job, on_clip=on_clip, queue_size=queue_size,
                                   client_factory=lambda: FarmClient(endpoint, timeout=submit_timeout))
        self.step_id = -1
        self.episode_id = -1
        self._name: str | None = None
        self._first_step = 0
        self._frames: list[np.ndarray] = []
        self._clip_camera: dict[str, Any] = {}

    @property
    def recording(self) -> bool:
        return self._name is not None

    def on_reset(self) -> None:
        self.episode_id += 1
        if self.recording and self.video_length == math.inf:
            self.finish()
        if self.episode_trigger and self.episode_trigger(self.episode_id):
            self.start(f"{self.name_prefix}-episode-{self.episode_id}", self.step_id + 1)
        self.capture_frame()

    def on_step(self) -> None:
        self.step_id += 1
        if self.step_trigger and self.step_trigger(self.step_id):
            self.start(f"{self.name_prefix}-step-{self.step_id}", self.step_id)
        self.capture_frame()

    def on_episode_boundary(self) -> None:
        """A vector env's env 0 autoreset: a new episode without a ``reset`` call."""
        self.episode_id += 1
        if self.recording and self.video_length == math.inf:
            self.finish()
        if self.episode_trigger and self.episode_trigger(self.episode_id):
            self.start(f"{self.name_prefix}-episode-{self.episode_id}", self.step_id + 1)

    def capture_frame(self) -> None:
        if self._name is None:
            return
        self._frames.append(self.capture.snapshot())
        if len(self._frames) >= self.video_length:
            self.finish()

    def start(self, name: str, first_step: int) -> None:
        if self.recording:
            self.finish()
        self._name = name
        self._first_step = first_step
        self._clip_camera = self._camera_for_clip() if self._camera_for_clip else {}

    def finish(self) -> None:
        """Hands the clip to the courier (never blocks); nothing to do without frames."""
        name, frames, first_step = self._name, self._frames, self._first_step
        self._name, self._frames = None, []
        if name is None or not frames:
            return
        capture, step_dt = self.capture, self.step_dt
        self.courier.send(ClipOrder(
            f"{name}.mp4", first_step, len(frames),
            lambda: capture.rollout(frames, first_step=first_step, step_dt=step_dt), job=self._clip_camera))

    def close(self, timeout: float) -> list[str]:
        if self.recording:
            self.finish()
        missing = self.courier.close(timeout)
        if missing:
            log.warning("renderfarm: %d clip(s) did not land in %s: %s", len(missing), self.video_folder,
                        ", ".join(missing))
        return missing


class FarmRecording:
    """What the single-env and vector wrappers share over their ``ClipRecorder`` (``_recorder``):
    its status, and a ``close`` that flushes the partial clip and waits for outstanding ones."""

    _recorder: ClipRecorder
    close_timeout: float
    missing_clips: list[str]

    @property
    def recording(self) -> bool:
        return self._recorder.recording

    @property
    def dropped_clips(self) -> int:
        """Clips not submitted because the farm was down or its queue was full."""
        return len(self._recorder.courier.dropped)

    @property
    def landed_clips(self):
        """``LandedClip`` records (path, first step, frames, latency, fetched) of the clips in place."""
        return list(self._recorder.courier.landed)

    def close(self, timeout: float | None = None) -> list[str]:
        """Closes the env, flushes the partial clip and waits up to ``timeout`` (default
        ``close_timeout``) seconds for outstanding clips; returns (and logs) those that did not land."""
        super().close()  # type: ignore[misc]  # the gymnasium wrapper after this mixin in the MRO
        self.missing_clips = self._recorder.close(self.close_timeout if timeout is None else timeout)
        return self.missing_clips
