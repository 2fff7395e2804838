"""Isaac Lab 3 glue: the farm job of a live Isaac Lab env, and a recorder that stands in for Isaac
Lab's ``VideoRecorder`` with clips rendered by the farm from the Newton model's body poses.

What is read from a live env (``env.unwrapped``), all by attribute, so nothing here imports Isaac
Sim: ``sim.physics_manager`` (its class name is the physics manager name), ``sim.visualizers``
(each ``cfg.visualizer_type``), ``scene.sensors`` (each ``cfg.renderer_cfg.renderer_type``, where a
sensor has one), ``cfg.viewer`` (``ViewerCfg``), ``step_dt``, ``num_envs``, ``scene.cfg.env_spacing``,
``metadata["render_fps"]``, and, for poses, ``NewtonManager.get_model()`` / ``get_state_0()`` from
``isaaclab_newton`` (Newton physics only). The pure parts (backend inputs, camera, schedule and
clip names) are tested with Isaac Lab 3.0.0's own ``ViewerCfg`` and ``VideoRecorderCfg``; the
live-env part needs Isaac Sim and is not exercised on a machine without it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .client import FarmClient
from .client.courier import ClipCourier, ClipOrder, OnClip
from .rollout import Viewer, encode_rollout

#: Isaac Lab 3's Newton GL visualizer type and its backward-compatible alias both mean the farm's
#: ``newton`` visualizer (``video_recorder.py`` treats "newton" as an alias of "newton_gl").
VISUALIZER_NAMES = {"newton_gl": "newton", "newton": "newton", "kit": "kit"}


def visualizer_name(visualizer_type: str) -> str:
    return VISUALIZER_NAMES.get(visualizer_type, visualizer_type)


def backend_inputs(recorder_cfg: Any, *, physics_name: str | None, renderer_types: Sequence[str] = (),
                   visualizer_types: Sequence[str] = (), presets: Sequence[str] = ()) -> dict[str, Any]:
    """SUBMIT ``backend_inputs`` for a ``VideoRecorderCfg``: ``source="sensor:..."`` records from the
    renderer stack (``backend_source="renderer"``); ``"visualizer"`` from the first capture-capable
    active visualizer; ``"visualizer:<type>"`` from that visualizer alone. A cfg with a
    ``backend_source`` field (the seed's recorder) passes it through, for the farm to check."""
    source = str(getattr(recorder_cfg, "source", "visualizer") or "visualizer")
    kind, _, wanted = source.partition(":")
    wanted = wanted.partition(":")[0]
    visualizers = [visualizer_name(v) for v in visualizer_types]
    if kind == "visualizer" and wanted:
        visualizers = [v for v in visualizers if v == visualizer_name(wanted)]
    backend_source = getattr(recorder_cfg, "backend_source", None) or ("renderer" if kind == "sensor" else "visualizer")
    return {"presets": list(presets), "physics": physics_name, "renderer_types": list(renderer_types),
            "visualizers": visualizers, "backend_source": backend_source}


def viewer(viewer_cfg: Any) -> Viewer:
    """The rollout's ``viewer`` from a ``ViewerCfg`` (eye/lookat relative to ``origin_type``)."""
    return Viewer(tuple(viewer_cfg.eye), tuple(viewer_cfg.lookat), str(getattr(viewer_cfg, "origin_type", "world")))


def camera_fields(viewer_cfg: Any) -> dict[str, Any]:
    """SUBMIT size and camera: the viewer's resolution; eye/lookat only for ``origin_type="world"``,
    as Isaac Lab's RL scripts copy them into the recorder only then (otherwise the farm keeps the
    recorder default; the rollout still carries the viewer)."""
    fields: dict[str, Any] = {}
    resolution = getattr(viewer_cfg, "resolution", None)
    if resolution:
        fields["width"], fields["height"] = int(resolution[0]), int(resolution[1])
    if getattr(viewer_cfg, "origin_type", "world") == "world":
        fields["eye"], fields["lookat"] = list(viewer_cfg.eye), list(viewer_cfg.lookat)
    return fields


def clip_fps(recorder_cfg: Any, *, render_fps: float | None, step_dt: float | None) -> int:
    """Isaac Lab 3's playback rate: ``cfg.fps``, else ``render_fps``, else ``round(1/step_dt)``
    (30 without either), divided by ``frame_stride``."""
    if recorder_cfg.fps is not None:
        return int(recorder_cfg.fps)
    base = render_fps if render_fps is not None else (round(1.0 / step_dt) if step_dt else 30)
    return max(1, round(base / recorder_cfg.frame_stride))


def next_clip_index(folder: str | os.PathLike, prefix: str) -> int:
    """One past the highest ``<prefix>_<index>.mp4`` already in ``folder`` (Isaac Lab 3 continues the numbering)."""
    pattern = re.compile(rf"^{re.escape(prefix)}_(?P<index>\d+)\.mp4$")
    indices = [int(m.group("index")) for name in (os.listdir(folder) if os.path.isdir(folder) else [])
               if (m := pattern.match(name))]
    return max(indices, default=-1) + 1


@dataclass
class StepOutcome:
    """What one env step means for the recorder: close the open clip first, then capture or not."""
    close_before: bool = False
    capture: bool = False
    close_after: bool = False


class IsaacLabTrigger:
    """Isaac Lab 3's ``VideoRecorder.step`` decisions without frames: steps count from 1; the first
    ``step_offset`` are skipped; a clip starts when ``(e − 1) % video_interval == 0`` (interval 0:
    only e == 1), closing one still open; its k-th step captures when ``k % frame_stride == 0``; it
    closes after ``video_length`` steps."""

    def __init__(self, recorder_cfg: Any):
        self.cfg = recorder_cfg
        self.step_count = 0
        self.recording = False
        self._clip_steps = 0

    def step(self) -> StepOutcome:
        self.step_count += 1
        outcome = StepOutcome()
        if self.step_count <= self.cfg.step_offset:
            return outcome
        effective = self.step_count - self.cfg.step_offset
        interval = self.cfg.video_interval
        if (effective == 1) if interval <= 0 else ((effective - 1) % interval == 0):
            outcome.close_before = self.recording
            self.recording = True
            self._clip_steps = 0
        if self.recording:
            self._clip_steps += 1
            outcome.capture = self._clip_steps % self.cfg.frame_stride == 0
            if self._clip_steps >= self.cfg.video_length:
                outcome.close_after = True
                self.recording = False
        return outcome


def live_backend_inputs(env: Any, recorder_cfg: Any, presets: Sequence[str] = ()) -> dict[str, Any]:
    """``backend_inputs`` read from a live Isaac Lab env (see the module docstring)."""
    inner = getattr(env, "unwrapped", env)
    sim = inner.sim
    manager = getattr(sim, "physics_manager", None)
    physics = None if manager is None else (manager.__name__ if isinstance(manager, type) else type(manager).__name__)
    visualizers = [getattr(v.cfg, "visualizer_type", "") for v in getattr(sim, "visualizers", None) or []]
    renderers = []
    for sensor in (getattr(getattr(inner, "scene", None), "sensors", None) or {}).values():
        renderer = getattr(getattr(sensor, "cfg", None), "renderer_cfg", None)
        if getattr(renderer, "renderer_type", None):
            renderers.append(renderer.renderer_type)
    return backend_inputs(recorder_cfg, physics_name=physics, renderer_types=renderers,
                          visualizer_types=visualizers, presets=presets)


def run_job_fields(output_dir: Path, task: str) -> dict[str, str]:
    """workflow/task/run: the output folder's own names when it is ``<w>/<t>/<r>/videos/<sub>``
    (Isaac Lab's RL scripts' layout, filed directly when under the coordinator's logs root), else a
    ``renderfarm`` run named after the folder (the clips are fetched into it)."""
    parts = output_dir.parts
    if len(parts) >= 6 and parts[-2] == "videos":
        return {"workflow": parts[-5], "task": parts[-4], "run": parts[-3]}
    return {"workflow": "renderfarm", "task": task, "run": "_".join(parts[-2:]) or "run"}


class NewtonPoses:
    """Body poses of a Newton model: a ``body_q`` copy of the current state per captured frame.
    Without arguments, Isaac Lab's Newton physics (``NewtonManager.get_model()`` /
    ``get_state_0()``)."""

    def __init__(self, view: Viewer | None, model: Any = None, state: Callable[[], Any] | None = None):
        from .scene import from_newton

        if model is None or state is None:
            from isaaclab_newton.physics.newton_manager import NewtonManager

            model, state = NewtonManager.get_model(), NewtonManager.get_state_0
        self._state = state
        self.scene = from_newton(model, viewer=view)

    def snapshot(self) -> np.ndarray:
        return self._state().body_q.numpy().copy()


class FarmVideoRecorder:
    """Stands in for Isaac Lab 3's ``VideoRecorder(cfg, env)``: same ``step()``/``close()``, same
    clip names (``<output_filename_prefix>_<index:04d>.mp4``, continuing after existing ones) and
    frames, rendered by the farm. Each captured frame copies ``state_0.body_q``; each closed clip
    goes to the farm from a background thread and lands in ``cfg.output_dir``. ``newton_model`` and
    ``newton_state`` (a callable returning the current ``newton.State``) default to Isaac Lab's."""

    def __init__(self, cfg: Any, env: Any, *, task: str, endpoint: str | None = None, on_clip: OnClip | None = None,
                 presets: Sequence[str] = (), close_timeout: float = 300.0, queue_size: int = 8,
                 newton_model: Any = None, newton_state: Callable[[], Any] | None = None):
        inner = getattr(env, "unwrapped", env)
        self.cfg = cfg
        self.output_dir = Path(cfg.output_dir or "videos").absolute()
        self.output_dir.mkdir(parents=True, exist_ok=True)
        viewer_cfg = getattr(getattr(inner, "cfg", None), "viewer", None)
        self._poses = NewtonPoses(viewer(viewer_cfg) if viewer_cfg else None, newton_model, newton_state)
        fps = clip_fps(cfg, render_fps=getattr(inner, "metadata", {}).get("render_fps"),
                       step_dt=getattr(inner, "step_dt", None))
        self._step_dt = 1.0 / fps
        job: dict[str, Any] = {**run_job_fields(self.output_dir, task), **live_backend_inputs(env, cfg, presets)}
        if viewer_cfg is not None:
            job.update(camera_fields(viewer_cfg))
        self.close_timeout = close_timeout
        self._trigger = IsaacLabTrigger(cfg)
        self._index = next_clip_index(self.output_dir, cfg.output_filename_prefix)
        self._frames: list[np.ndarray] = []
        self._first_step = 0
        self.courier = ClipCourier(self.output_dir, job, on_clip=on_clip, queue_size=queue_size,
                                   client_factory=lambda: FarmClient(endpoint))

    def step(self) -> None:
        outcome = self._trigger.step()
        if outcome.close_before:
            self._close_clip()
        if outcome.capture:
            if not self._frames:
                self._first_step = self._trigger.step_count
            self._frames.append(self._poses.snapshot())
        if outcome.close_after:
            self._close_clip()

    def _close_clip(self) -> None:
        frames, self._frames = self._frames, []
        if not frames:
            return
        name = f"{self.cfg.output_filename_prefix}_{self._index:04d}.mp4"
        self._index += 1
        scene, first, step_dt = self._poses.scene, self._first_step, self._step_dt
        self.courier.send(ClipOrder(name, first, len(frames),
                                    lambda: encode_rollout(scene, np.stack(frames), step_dt=step_dt, first_step=first)))

    def close(self, timeout: float | None = None) -> list[str]:
        """Flushes the open clip and waits for outstanding clips; returns those that did not land."""
        self._close_clip()
        return self.courier.close(self.close_timeout if timeout is None else timeout)

