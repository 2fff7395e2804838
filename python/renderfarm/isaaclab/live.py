"""Isaac Lab 3's ``--video``, rendered by the farm: ``isaaclab train|play ... --video --video_length L
--video_interval I --external_callback renderfarm.isaaclab.install``.

Isaac Lab calls the ``--external_callback`` function before it creates the env. ``install`` changes
two things in the running Isaac Lab, and nothing on disk:

- **Recorders.** Every ``VideoRecorder`` Isaac Lab makes (one per ``VideoRecorderCfg`` in
  ``env_cfg.video_recorders``, as its RL scripts configure them from the flags) records through the
  farm instead: each env step it counts as Isaac Lab's does; each captured frame copies the Newton
  state's ``body_q`` (nothing is rendered in the trainer); each finished clip goes to the farm from a
  background thread and lands in the recorder's ``output_dir`` under Isaac Lab's name
  (``FarmVideoRecorder``). The camera, window size and fps are those of the visualizer the
  recorder's ``source`` names.
- **Visualizers.** With ``--video``, a visualizer that would render without a window (``headless``,
  or no ``DISPLAY`` on Linux, as ``NewtonVisualizer`` decides) exists only to feed the recorders, so
  it is not created: its config is kept for the farm's camera (``HELD_VISUALIZERS``). One with a
  window stays, for the person watching it.

If the farm cannot be reached, training goes on; the clips are dropped, each with a log line.

With ``RENDERFARM_COMPARE=1``, Isaac Lab's own recorders and visualizers run unchanged into
``videos/<sub>`` and the farm files the same clips beside them in ``videos/farm``, for side-by-side
checks (nobody trains that way: it pays for both).

The farm is found as farmctl finds it: ``FARM_COORDINATOR``, else ``configs/farm.yaml``.
"""

from __future__ import annotations

import logging
import os
import sys
from copy import copy
from pathlib import Path
from typing import Any

from . import HELD_VISUALIZERS, FarmVideoRecorder

log = logging.getLogger("renderfarm.isaaclab")

#: ``RENDERFARM_COMPARE=1``: Isaac Lab records as usual and the farm records the same clips beside them.
COMPARE_VARIABLE = "RENDERFARM_COMPARE"
#: Where the farm's clips go in compare mode: ``videos/farm`` beside Isaac Lab's ``videos/<sub>``.
COMPARE_FOLDER = "farm"
#: How long closing the env waits for the farm's clips still being rendered.
CLOSE_TIMEOUT_S = 300.0
#: The visualizer types a ``VideoRecorder`` can capture from (``video_recorder.py``).
RECORDABLE_VISUALIZERS = ("newton_gl", "newton_rtx", "kit")

_installed = False


def compare_mode() -> bool:
    return os.environ.get(COMPARE_VARIABLE, "") == "1"


def install() -> None:
    """The ``--external_callback`` hook. Returns None, which leaves Isaac Lab's arguments as they are.
    Calling it twice changes nothing more."""
    global _installed
    if _installed:
        return
    _show_log_lines()
    compare = compare_mode()
    _hook_recorders(compare)
    # Isaac Lab calls the hook while it parses its command line, which is still in sys.argv.
    if not compare and "--video" in sys.argv:
        _hold_back_recording_visualizers()
    _installed = True
    log.info("renderfarm: Isaac Lab's video recorders record through the farm%s",
             " (and Isaac Lab's own, to compare)" if compare else "")


def _show_log_lines() -> None:
    """Isaac Lab's kit-less launch installs no logging handler; the farm's lines (a dropped clip, a
    clip that did not land) still reach the console, as Isaac Lab's own notices do."""
    package = logging.getLogger("renderfarm")
    if not logging.getLogger().handlers and not package.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
        package.addHandler(handler)
        package.setLevel(logging.INFO)


def farm_output_dir(output_dir: str | os.PathLike[str], compare: bool) -> Path:
    """The folder the farm's clips land in: the recorder's own, or in compare mode ``videos/farm``
    beside it."""
    folder = Path(output_dir or "videos").absolute()
    return folder.parent / COMPARE_FOLDER if compare else folder


class FarmStream:
    """One ``VideoRecorderCfg`` recorded through the farm. Isaac Lab makes its recorders before the
    Newton model is finalised, so the ``FarmVideoRecorder`` (which reads the model's shapes) is made
    on the env's first step."""

    def __init__(self, cfg: Any, env: Any, *, compare: bool):
        self.cfg = copy(cfg)
        self.cfg.output_dir = str(farm_output_dir(cfg.output_dir, compare))
        self._env = env
        self.recorder: FarmVideoRecorder | None = None

    def step(self) -> None:
        if self.recorder is None:
            # The run folder names the job (run_job_fields); the task only names a folder laid out otherwise.
            task = type(getattr(self._env, "unwrapped", self._env)).__name__
            self.recorder = FarmVideoRecorder(self.cfg, self._env, task=task)
        self.recorder.step()

    def close(self) -> list[str]:
        if self.recorder is None:
            return []
        missing = self.recorder.close(CLOSE_TIMEOUT_S)
        if missing:
            log.warning("renderfarm: %d clip(s) of %s did not land in %s: %s", len(missing),
                        self.cfg.output_filename_prefix, self.cfg.output_dir, ", ".join(missing))
        return missing


def _hook_recorders(compare: bool) -> None:
    """Isaac Lab's ``VideoRecorder`` keeps its interface (``__init__(cfg, env)``, ``step``, ``close``);
    each instance gains a ``FarmStream``, and in compare mode also does its own work."""
    from isaaclab.envs.utils.video_recorder import VideoRecorder

    own_init, own_step, own_close = VideoRecorder.__init__, VideoRecorder.step, VideoRecorder.close

    def __init__(self: Any, cfg: Any, env: Any) -> None:
        self.renderfarm_stream = FarmStream(cfg, env, compare=compare)
        if compare:
            own_init(self, cfg, env)
        else:
            self.cfg = cfg

    def step(self: Any) -> None:
        if compare:
            own_step(self)
        try:
            self.renderfarm_stream.step()
        except Exception:
            # Training must not stop for the farm: this stream stops recording, once logged.
            log.exception("renderfarm: recording %s stopped", self.cfg.output_filename_prefix)
            self.renderfarm_stream = _Stopped()

    def close(self: Any) -> None:
        if compare:
            own_close(self)
        self.renderfarm_stream.close()

    VideoRecorder.__init__, VideoRecorder.step, VideoRecorder.close = __init__, step, close


class _Stopped:
    def step(self) -> None:
        pass

    def close(self) -> list[str]:
        return []


def renders_without_window(cfg: Any) -> bool:
    """Whether a visualizer would render offscreen only, as ``NewtonVisualizer.initialize`` decides:
    ``headless`` set, or Linux without ``DISPLAY``."""
    return bool(getattr(cfg, "headless", False)) or (
        sys.platform not in ("win32", "darwin") and not os.environ.get("DISPLAY"))


def held_back(cfg: Any) -> bool:
    """A visualizer the farm stands in for: one recorders capture from that has no window."""
    return getattr(cfg, "visualizer_type", None) in RECORDABLE_VISUALIZERS and renders_without_window(cfg)


def _hold_back_recording_visualizers() -> None:
    """``SimulationContext._create_visualizers`` makes every resolved visualizer; a windowless one of
    a type recorders capture from is kept as a config only (``HELD_VISUALIZERS``). When every
    visualizer is held back none renders continuously, so the sim does not render each step for
    them (``_has_continuous_visualizers``, which ``is_rendering`` asks; clips still get visual shapes,
    since ``--video`` turns offscreen rendering on)."""
    from isaaclab.sim.simulation_context import SimulationContext

    own_create, own_continuous = SimulationContext._create_visualizers, SimulationContext._has_continuous_visualizers

    def _has_continuous_visualizers(self: Any) -> bool:
        # Asked every env step: whether all are held back is decided once per sim.
        all_held = getattr(self, "_renderfarm_all_visualizers_held", None)
        if all_held is None:
            resolved = self._resolve_visualizer_cfgs()
            all_held = bool(resolved) and all(held_back(cfg) for cfg in resolved)
            self._renderfarm_all_visualizers_held = all_held
        return False if all_held else own_continuous(self)

    def _create_visualizers(self: Any) -> None:
        resolved = self._resolve_visualizer_cfgs()
        held = [cfg for cfg in resolved if held_back(cfg)]
        setattr(self, HELD_VISUALIZERS, held)
        # The original resolves the configs itself (making new default ones each time): hand it
        # these, less the held ones, for this one call.
        kept = [cfg for cfg in resolved if not any(cfg is h for h in held)]
        self._resolve_visualizer_cfgs = lambda: kept
        try:
            own_create(self)
        finally:
            del self._resolve_visualizer_cfgs

    SimulationContext._create_visualizers = _create_visualizers
    SimulationContext._has_continuous_visualizers = _has_continuous_visualizers
