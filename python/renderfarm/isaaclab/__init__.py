"""Isaac Lab 3 glue: the farm job of a live Isaac Lab env, and a recorder that stands in for Isaac
Lab's ``VideoRecorder`` with clips rendered by the farm from the Newton model's body poses.

What is read from a live env (``env.unwrapped``), all by attribute, so nothing here imports Isaac
Sim: ``sim.physics_manager`` (its class name is the physics manager name), ``sim.visualizers``
(each ``cfg.visualizer_type``), ``scene.sensors`` (each ``cfg.renderer_cfg.renderer_type``, where a
sensor has one), ``cfg.viewer`` (``ViewerCfg``), ``step_dt``, ``num_envs``, ``scene.cfg.env_spacing``,
``metadata["render_fps"]``, and, for poses, ``NewtonManager.get_model()`` / ``get_state_0()`` from
``isaaclab_newton`` (Newton physics only). The pure parts (backend inputs, camera, trigger) are
tested with Isaac Lab 3.0.0's own ``ViewerCfg`` and ``VideoRecorderCfg``, the live env with Isaac Lab
3.0.0 itself, kit-less (``python/tests/test_isaaclab_live.py``).

Several ``VideoRecorderCfg``s (Isaac Lab 3 records one stream per cfg) go to the farm as one job
from one rollout with ``submit_streams``, each cfg a SUBMIT stream (``recorder_stream``). What the
farm cannot copy from Isaac Lab: a ``sensor:<name>`` stream is drawn by the farm's rasteriser from
a camera the caller places (``sensor_cameras``, else the viewer's), not from the sensor itself, so
the sensor's mounting, intrinsics and noise are not reproduced (the farm's camera has a 60°
horizontal field of view); Isaac Lab records env 0's sensor (``output[0]``), so place that camera
with ``env_index=0``; depth (turbo over ``depth_colormap_min..max``) and normals (XYZ from [-1, 1]
to [0, 255]) follow Isaac Lab's ``camera_colorizer.py``, while segmentation colours each body, not
each semantic class.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..client import FarmClient
from ..client.courier import ClipCourier, ClipOrder, OnClip
from ..client.runs import run_job_fields
from ..client.streams import OUTPUTS, Stream
from ..records import JobRecord
from ..rollout import Viewer, encode_rollout

#: Isaac Lab 3's Newton GL visualizer type and its backward-compatible alias both mean the farm's
#: ``newton`` visualizer (``video_recorder.py`` treats "newton" as an alias of "newton_gl").
VISUALIZER_NAMES = {"newton_gl": "newton", "newton": "newton", "kit": "kit"}
#: ``VideoRecorderCfg.source`` kinds (``video_recorder.py``'s ``_VALID_SOURCE_KINDS``).
SOURCE_KINDS = ("visualizer", "sensor")


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


def camera_config(cfg: Any) -> tuple[Viewer, tuple[int, int] | None]:
    """The rollout viewer and frame size of Isaac Lab 3's ``ViewerCfg`` (deprecated there) or
    ``KitVisualizerCfg``. A Kit visualizer's ``origin_type`` is ``world``|``env``|``asset`` with
    ``origin_env_index`` and ``origin_track_path`` (``"robot"`` follows the robot's root,
    ``"robot/panda_hand"`` that body, as ``KitVisualizer._update_asset_tracking_camera`` reads it) and
    its size ``window_width``/``window_height``; a ``ViewerCfg``'s are ``origin_type``
    (``asset_root``/``asset_body``), ``env_index``, ``asset_name``, ``body_name`` and ``resolution``."""
    eye, lookat = tuple(cfg.eye), tuple(cfg.lookat)
    origin = str(getattr(cfg, "origin_type", "world") or "world")
    width, height = getattr(cfg, "window_width", None), getattr(cfg, "window_height", None)
    resolution = getattr(cfg, "resolution", None) or ((width, height) if width and height else None)
    size = (int(resolution[0]), int(resolution[1])) if resolution else None
    if hasattr(cfg, "origin_track_path") or hasattr(cfg, "origin_env_index"):
        env_index = int(getattr(cfg, "origin_env_index", 0) or 0)
        if origin != "asset":
            return Viewer(eye, lookat, origin, env_index=env_index), size
        track = getattr(cfg, "origin_track_path", None)
        if not track:
            raise ValueError("KitVisualizerCfg origin_type='asset' needs origin_track_path ('robot' or "
                             "'robot/<body>'), as Isaac Lab's Kit visualizer does")
        asset, _, body = str(track).partition("/")
        return Viewer(eye, lookat, "asset_body" if body else "asset_root", env_index=env_index, asset_name=asset,
                      body_name=body or None), size
    return Viewer(eye, lookat, origin, env_index=int(getattr(cfg, "env_index", 0) or 0),
                  asset_name=getattr(cfg, "asset_name", None) if origin in ("asset_root", "asset_body") else None,
                  body_name=getattr(cfg, "body_name", None) if origin == "asset_body" else None,
                  **newton_viewer_look(cfg)), size


#: USD's default vertical aperture in mm, from which Isaac Lab 3's visualizers turn ``focal_length``
#: into a vertical field of view (``isaaclab/visualizers/base_visualizer.py``).
USD_VERTICAL_APERTURE_MM = 15.2908


def newton_viewer_look(cfg: Any) -> dict[str, Any]:
    """The lens and background of Isaac Lab 3's Newton GL visualizer, as the rollout viewer's
    ``vertical_fov``, ``background_color`` and sky colours (``NewtonGLVisualizer``): its camera's
    vertical FOV is ``2·atan(15.2908 mm / (2·focal_length))`` (65° at the default 12 mm); a
    ``background_color`` replaces the sky; else the sky runs from ``sky_lower_color`` (0.5, 0.6, 0.7)
    at the horizon to ``sky_upper_color`` (0.2, 0.4, 0.6). Other configs keep the farm's lens and sky."""
    if getattr(cfg, "visualizer_type", None) != "newton_gl":
        return {}
    look: dict[str, Any] = {}
    focal_length = getattr(cfg, "focal_length", None)
    if focal_length:
        look["vertical_fov"] = math.degrees(2 * math.atan(USD_VERTICAL_APERTURE_MM / (2 * float(focal_length))))
    if getattr(cfg, "background_color", None) is not None:
        look["background_color"] = tuple(cfg.background_color)
    else:
        for name in ("sky_upper_color", "sky_lower_color"):
            if getattr(cfg, name, None) is not None:
                look[name] = tuple(getattr(cfg, name))
    return look


def viewer(viewer_cfg: Any) -> Viewer:
    """The rollout's ``viewer`` from a ``ViewerCfg`` or ``KitVisualizerCfg`` (``camera_config``): eye/lookat
    measured from its origin, with the ``env_index``, ``asset_name`` and ``body_name`` that origin
    needs, so the farm follows it."""
    return camera_config(viewer_cfg)[0]


def recorder_camera_cfg(env: Any, recorder_cfg: Any) -> Any | None:
    """The config whose camera Isaac Lab 3's recorder records: the active visualizer its ``source``
    names (``visualizer:kit``, ``visualizer:newton`` for ``newton_gl``), or the first active one for a
    bare ``visualizer``, as ``VideoRecorder._frame_from_visualizer`` picks it; else (no such
    visualizer, or a sensor source) the env's ``ViewerCfg``."""
    inner = getattr(env, "unwrapped", env)
    kind, wanted, _ = parse_source(recorder_cfg.source)
    if kind == "visualizer":
        names = ("newton_gl",) if wanted == "newton" else (wanted,)
        for cfg in visualizer_cfgs(inner):
            if hasattr(cfg, "eye") and (not wanted or getattr(cfg, "visualizer_type", None) in names):
                return cfg
    return getattr(getattr(inner, "cfg", None), "viewer", None)


#: The attribute on Isaac Lab's ``SimulationContext`` where ``renderfarm.isaaclab.install`` keeps
#: the configs of the visualizers it did not create (they existed only to record, which the farm does).
HELD_VISUALIZERS = "renderfarm_held_visualizer_cfgs"


def visualizer_cfgs(env: Any) -> list[Any]:
    """The configs of the env's visualizers: the active ones (``sim.visualizers``) and those the
    one-flag hook held back from creation because they existed only to record."""
    sim = getattr(getattr(env, "unwrapped", env), "sim", None)
    active = [visualizer.cfg for visualizer in getattr(sim, "visualizers", None) or [] if hasattr(visualizer, "cfg")]
    return [*active, *getattr(sim, HELD_VISUALIZERS, [])]


def scene_entities(env: Any) -> dict[str, str] | None:
    """``{name: articulation label regex}`` of an Isaac Lab env's scene articulations, matched the way
    Isaac Lab 3.0.0's ``NewtonManager`` maps a scene entity to the Newton model's articulations:
    ``cfg.prim_path`` (``/World/envs/env_.*/Robot``) followed by ``cfg.articulation_root_prim_path``, or
    by ``(?:/.*)?`` when that is None. The rollout's assets then carry the scene's names (``robot``),
    the ones ``ViewerCfg.asset_name`` uses. None when the env has no scene articulations."""
    articulations = getattr(getattr(getattr(env, "unwrapped", env), "scene", None), "articulations", None)
    if not articulations:
        return None
    patterns = {}
    for name, asset in articulations.items():
        root = getattr(asset.cfg, "articulation_root_prim_path", None)
        patterns[name] = str(asset.cfg.prim_path) + ("(?:/.*)?" if root is None else str(root))
    return patterns


def camera_fields(viewer_cfg: Any) -> dict[str, Any]:
    """A stream's size and camera from a ``ViewerCfg`` or ``KitVisualizerCfg`` (``camera_config``): its
    size; ``eye``/``lookat`` measured from its origin, with the fields that origin needs (``env_index``
    for ``env``, and ``asset_name``, ``body_name`` for ``asset_root``/``asset_body``), as Isaac Lab's
    viewport camera follows them."""
    view, size = camera_config(viewer_cfg)
    fields: dict[str, Any] = {"eye": list(view.eye), "lookat": list(view.lookat), "origin_type": view.origin_type}
    if size:
        fields["width"], fields["height"] = size
    if view.origin_type != "world":
        fields["env_index"] = view.env_index
    return {**fields, **{key: value for key, value in (("asset_name", view.asset_name), ("body_name", view.body_name))
                         if value is not None}}


def job_camera_fields(viewer_cfg: Any) -> dict[str, Any]:
    """SUBMIT's job-level size and camera, which has no origin fields: the viewer's size; eye/lookat
    only for a world origin, as Isaac Lab's RL scripts copy them into the recorder only then
    (otherwise the rollout's viewer carries the origin for the farm to follow)."""
    view, size = camera_config(viewer_cfg)
    fields: dict[str, Any] = {}
    if size:
        fields["width"], fields["height"] = size
    if view.origin_type == "world":
        fields["eye"], fields["lookat"] = list(view.eye), list(view.lookat)
    return fields


def parse_source(source: str) -> tuple[str, str, str]:
    """``VideoRecorderCfg.source`` as Isaac Lab 3 splits it: (kind, visualizer type or sensor name,
    sub-channel); kind and sub-channel lowercased. Refuses a kind other than visualizer or sensor,
    and a sensor channel the recorder cannot colourise."""
    parts = str(source).strip().split(":")
    kind = parts[0].lower()
    name = parts[1] if len(parts) > 1 else ""
    sub = parts[2].lower() if len(parts) > 2 else ""
    if kind not in SOURCE_KINDS:
        raise ValueError(f"source {source!r}: kind {kind!r} is unknown; use one of {', '.join(SOURCE_KINDS)}")
    if kind == "sensor":
        if not name:
            raise ValueError(f"source {source!r} names no sensor; "
                             "use 'sensor:<name>[:rgb|:depth|:normals|:segmentation]'")
        if (sub or "rgb") not in OUTPUTS:
            raise ValueError(f"source {source!r}: sensor channel {sub!r} is unknown; use one of {', '.join(OUTPUTS)}")
    return kind, name, sub


def recorder_output(source: str) -> str:
    """The farm's ``output`` for a source: a sensor's channel (``rgb`` when none is named); ``rgb``
    for a visualizer."""
    kind, _, sub = parse_source(source)
    return (sub or "rgb") if kind == "sensor" else "rgb"


def recorder_stream(recorder_cfg: Any, *, inputs: dict[str, Any], camera: Any = None) -> Stream:
    """One ``VideoRecorderCfg`` as a SUBMIT stream: ``output_filename_prefix`` → ``prefix``; the
    schedule fields, ``fps`` and ``keep_last_n_clips`` as they are; ``source`` → ``output`` (with
    ``depth_colormap_min/max`` for depth); ``inputs`` (``backend_inputs``); ``camera``, a
    ``ViewerCfg`` or any object with its fields, → size, eye/lookat and origin (``camera_fields``)."""
    validate = getattr(recorder_cfg, "validate_config", None)
    if validate is not None:
        validate()
    output = recorder_output(recorder_cfg.source)
    depth = output == "depth"
    return Stream(
        prefix=recorder_cfg.output_filename_prefix, video_length=recorder_cfg.video_length,
        video_interval=recorder_cfg.video_interval, step_offset=recorder_cfg.step_offset,
        frame_stride=recorder_cfg.frame_stride, fps=recorder_cfg.fps, backend_inputs=inputs, output=output,
        depth_colormap_min=recorder_cfg.depth_colormap_min if depth else None,
        depth_colormap_max=recorder_cfg.depth_colormap_max if depth else None,
        keep_last_n_clips=recorder_cfg.keep_last_n_clips,
        **(camera_fields(camera) if camera is not None else {}))


def submit_streams(client: FarmClient, rollout: bytes | str | os.PathLike[str], recorder_cfgs: Sequence[Any], *,
                   task: str, viewer_cfg: Any = None, sensor_cameras: Mapping[str, Any] | None = None,
                   physics_name: str | None = None, renderer_types: Sequence[str] = (),
                   visualizer_types: Sequence[str] = (), presets: Sequence[str] = (), render_fps: float | None = None,
                   workflow: str | None = None, run: str | None = None, **job: Any) -> JobRecord:
    """Submits one rollout with several ``VideoRecorderCfg``s as one job, one stream each (see
    ``recorder_stream``); returns the job's record. Their clips are numbered per prefix after
    those in the video folder and filed side by side there,
    ``<logs-root>/<workflow>/<task>/<run>/videos/train``.

    ``workflow`` and ``run`` default to the names in the cfgs' shared ``output_dir`` when it is
    laid out as Isaac Lab's RL scripts lay it out (``run_job_fields``). A visualizer stream records
    from ``viewer_cfg``; a ``sensor:<name>`` stream from ``sensor_cameras[name]`` (a ``ViewerCfg``
    placing that sensor's camera) when given, else from ``viewer_cfg`` too: the farm does not know
    the sensor's own pose, intrinsics or resolution. ``render_fps`` is the env's
    ``metadata["render_fps"]``; ``job`` takes ``FarmClient.submit``'s other fields (``max_retries``, ...).
    """
    if not recorder_cfgs:
        raise ValueError("recorder_cfgs is empty; give at least one VideoRecorderCfg")
    if workflow is None or run is None:
        folders = sorted({str(cfg.output_dir) for cfg in recorder_cfgs})
        if len(folders) != 1 or recorder_cfgs[0].output_dir is None:
            raise ValueError(f"the cfgs' output_dir values {folders} do not name one run folder; one job files its "
                             "clips side by side in one folder: give workflow= and run=, or one output_dir")
        found = run_job_fields(Path(folders[0]).absolute(), task)
        workflow, run = workflow or found["workflow"], run or found["run"]
    cameras = dict(sensor_cameras or {})
    streams = []
    for cfg in recorder_cfgs:
        kind, name, _ = parse_source(cfg.source)
        inputs = backend_inputs(cfg, physics_name=physics_name, renderer_types=renderer_types,
                                visualizer_types=visualizer_types, presets=presets)
        camera = cameras.get(name, viewer_cfg) if kind == "sensor" else viewer_cfg
        streams.append(recorder_stream(cfg, inputs=inputs, camera=camera))
    first = recorder_cfgs[0]
    return client.submit(rollout, task=task, workflow=workflow, run=run, video_length=first.video_length,
                         video_interval=first.video_interval, presets=presets, physics=physics_name,
                         renderer_types=renderer_types, visualizers=[visualizer_name(v) for v in visualizer_types],
                         render_fps=render_fps, streams=streams, **job)


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
    visualizers = [getattr(cfg, "visualizer_type", "") for cfg in visualizer_cfgs(inner)]
    renderers = []
    for sensor in (getattr(getattr(inner, "scene", None), "sensors", None) or {}).values():
        renderer_type = getattr(getattr(getattr(sensor, "cfg", None), "renderer_cfg", None), "renderer_type", None)
        if renderer_type:
            renderers.append(renderer_type)
    return backend_inputs(recorder_cfg, physics_name=physics, renderer_types=renderers,
                          visualizer_types=visualizers, presets=presets)


class NewtonPoses:
    """Body poses of a Newton model: a ``body_q`` copy of the current state per captured frame.
    Without arguments, Isaac Lab's Newton physics (``NewtonManager.get_model()`` /
    ``get_state_0()``). ``entities`` (``scene_entities(env)``) names the scene's assets as Isaac Lab
    does, so a viewer that follows ``asset_name="robot"`` finds it."""

    def __init__(self, view: Viewer | None, model: Any = None, state: Callable[[], Any] | None = None,
                 entities: dict[str, str] | None = None):
        from ..scene import from_newton

        if model is None or state is None:
            from isaaclab_newton.physics.newton_manager import NewtonManager

            model, state = NewtonManager.get_model(), NewtonManager.get_state_0
        self._state = state
        self.scene = from_newton(model, viewer=view, entities=entities)

    def snapshot(self) -> np.ndarray:
        body_q: np.ndarray = self._state().body_q.numpy().copy()
        return body_q


class FarmVideoRecorder:
    """Stands in for Isaac Lab 3's ``VideoRecorder(cfg, env)``: same ``step()``/``close()``, same
    clip names (``<output_filename_prefix>_<index:04d>.mp4``, continuing after existing ones) and
    frames, rendered by the farm. Each captured frame copies ``state_0.body_q``; each closed clip
    goes to the farm from a background thread and lands in ``cfg.output_dir``; with
    ``keep_last_n_clips`` only the newest N clips of the prefix stay there, as Isaac Lab 3 keeps
    them. The trigger runs here, on the training thread; the clip's name, its playback rate and
    what it supersedes are the coordinator's (SUBMIT's ``clip_prefix``, told the output folder's
    files). ``newton_model`` and ``newton_state`` (a callable returning the current
    ``newton.State``) default to Isaac Lab's."""

    def __init__(self, cfg: Any, env: Any, *, task: str, endpoint: str | None = None, on_clip: OnClip | None = None,
                 presets: Sequence[str] = (), close_timeout: float = 300.0, queue_size: int = 8,
                 newton_model: Any = None, newton_state: Callable[[], Any] | None = None):
        inner = getattr(env, "unwrapped", env)
        self.cfg = cfg
        self.output_dir = Path(cfg.output_dir or "videos").absolute()
        self.output_dir.mkdir(parents=True, exist_ok=True)
        viewer_cfg = recorder_camera_cfg(inner, cfg)
        self._poses = NewtonPoses(viewer(viewer_cfg) if viewer_cfg else None, newton_model, newton_state,
                                  entities=scene_entities(inner))
        # The farm plays the clip at Isaac Lab's rate from these (a missing step_dt plays at 30 fps there too).
        self._step_dt = float(getattr(inner, "step_dt", None) or 1 / 30)
        job: dict[str, Any] = {**run_job_fields(self.output_dir, task), **live_backend_inputs(env, cfg, presets),
                               "fps": cfg.fps, "render_fps": getattr(inner, "metadata", {}).get("render_fps"),
                               "frame_stride": int(cfg.frame_stride)}
        if viewer_cfg is not None:
            job.update(job_camera_fields(viewer_cfg))
        if cfg.keep_last_n_clips is not None:
            job["keep_last_n_clips"] = cfg.keep_last_n_clips
        output = recorder_output(cfg.source)
        if output != "rgb":
            # A sensor source's image, drawn from the viewer's camera (the module's docstring says what differs).
            job["output"] = output
            if output == "depth":
                job.update(depth_colormap_min=cfg.depth_colormap_min, depth_colormap_max=cfg.depth_colormap_max)
        self.close_timeout = close_timeout
        self._trigger = IsaacLabTrigger(cfg)
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
        scene, first, step_dt = self._poses.scene, self._first_step, self._step_dt
        self.courier.send(ClipOrder.named_by_farm(
            self.cfg.output_filename_prefix, first, len(frames),
            lambda: encode_rollout(scene, np.stack(frames), step_dt=step_dt, first_step=first)))

    def close(self, timeout: float | None = None) -> list[str]:
        """Flushes the open clip and waits for outstanding clips; returns those that did not land."""
        self._close_clip()
        return self.courier.close(self.close_timeout if timeout is None else timeout)



def install() -> None:
    """``isaaclab train|play ... --video --external_callback renderfarm.isaaclab.install``: Isaac
    Lab's video recorders record through the farm (``renderfarm.isaaclab.live``)."""
    from .live import install as install_live

    install_live()
