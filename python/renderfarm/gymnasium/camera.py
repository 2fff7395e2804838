"""Where the farm's camera goes for a gymnasium MuJoCo env: where the env's ``MujocoRenderer`` points
MuJoCo's, following a body every frame when MuJoCo's camera tracks one.

MuJoCo cameras that move with a body only translate with it (their orientation is fixed in the
world), which is what the farm's ``asset_body`` origin does (docs/RENDERING.md): the eye and lookat
become offsets from a tracked point that the rollout carries as one more body row per frame.

- No ``camera_id``/``camera_name``: MuJoCo's free camera with ``default_camera_config`` applied; with
  ``trackbodyid`` ≥ 0 it is MuJoCo's tracking camera (``mjCAMERA_TRACKING``), whose lookat is
  ``data.subtree_com[trackbodyid]`` every frame.
- A model camera: ``fixed`` on the world body stays put; ``track`` follows its body's ``xpos``,
  ``trackcom`` its body's ``subtree_com``, each at the offset MuJoCo compiled (``cam_pos0``,
  ``cam_poscom0``), looking along the compiled orientation (``cam_mat0``). Cameras that turn with a
  body or aim at one cannot be reproduced by translation alone and are refused, naming the camera.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

# mjtCamLight values (MuJoCo 2.x-4.x).
_CAM_FIXED, _CAM_TRACK, _CAM_TRACKCOM = 0, 1, 2

Vec3 = tuple[float, float, float]


@dataclass(frozen=True)
class CameraTarget:
    """The point a camera follows: ``data.subtree_com[body]`` or, without ``subtree_com``, ``data.xpos[body]``."""

    body: int
    subtree_com: bool

    def position(self, data: Any) -> np.ndarray:
        return np.asarray((data.subtree_com if self.subtree_com else data.xpos)[self.body])


@dataclass(frozen=True)
class FarmCamera:
    """``eye`` and ``lookat`` in the world, or, with a ``target``, as offsets from where it is each frame."""

    eye: Vec3
    lookat: Vec3
    target: CameraTarget | None = None


def free_camera(model: Any, config: dict[str, Any] | None = None, lookat_override: Sequence[float] | None = None
                ) -> tuple[Vec3, Vec3]:
    """(eye, lookat) of MuJoCo's default free camera with gymnasium's ``default_camera_config``
    applied (``mjv_defaultFreeCamera``: lookat = ``stat.center``, distance = 1.5 × ``stat.extent``,
    azimuth and elevation from ``vis.global``; position = lookat − distance × forward, forward =
    (cos el cos az, cos el sin az, sin el))."""
    config = dict(config or {})
    lookat = np.asarray(lookat_override if lookat_override is not None else config.get("lookat", model.stat.center),
                        dtype=float)
    distance = float(config.get("distance", 1.5 * model.stat.extent))
    azimuth = math.radians(float(config.get("azimuth", model.vis.global_.azimuth)))
    elevation = math.radians(float(config.get("elevation", model.vis.global_.elevation)))
    forward = np.array([math.cos(elevation) * math.cos(azimuth), math.cos(elevation) * math.sin(azimuth),
                        math.sin(elevation)])
    return _vec3(lookat - distance * forward), _vec3(lookat)


def renderer_config(env: Any) -> dict[str, Any]:
    """The env's ``default_camera_config`` (empty when it has none)."""
    return dict(getattr(getattr(env.unwrapped, "mujoco_renderer", None), "default_cam_config", None) or {})


def env_camera(env: Any, model: Any, eye: Sequence[float] | None = None,
               lookat: Sequence[float] | None = None) -> FarmCamera:
    """The farm camera for a single MuJoCo env. An explicit ``eye``/``lookat`` wins and stays fixed
    in the world (the one left out taken from the free camera)."""
    config = renderer_config(env)
    if eye is not None or lookat is not None:
        default_eye, default_lookat = free_camera(model, config)
        return FarmCamera(_vec3(eye if eye is not None else default_eye),
                          _vec3(lookat if lookat is not None else default_lookat))
    camera_id = getattr(getattr(env.unwrapped, "mujoco_renderer", None), "camera_id", None)
    if camera_id is not None and camera_id >= 0:
        return model_camera(model, int(camera_id))
    track = int(config.get("trackbodyid", -1))
    if track >= 0:
        offset, _ = free_camera(model, config, lookat_override=(0.0, 0.0, 0.0))
        return FarmCamera(offset, (0.0, 0.0, 0.0), CameraTarget(track, subtree_com=True))
    return FarmCamera(*free_camera(model, config))


def model_camera(model: Any, camera: int) -> FarmCamera:
    """A camera of the model (gymnasium's ``camera_id``/``camera_name``), from its compiled placement."""
    mode, body = int(model.cam_mode[camera]), int(model.cam_bodyid[camera])
    forward = -np.asarray(model.cam_mat0[camera], dtype=float).reshape(3, 3)[:, 2]  # cameras look along -z
    if mode == _CAM_FIXED and body == 0:
        eye = np.asarray(model.cam_pos[camera], dtype=float)
        return FarmCamera(_vec3(eye), _vec3(eye + forward))
    if mode in (_CAM_TRACK, _CAM_TRACKCOM):
        subtree_com = mode == _CAM_TRACKCOM
        offset = np.asarray((model.cam_poscom0 if subtree_com else model.cam_pos0)[camera], dtype=float)
        return FarmCamera(_vec3(offset), _vec3(offset + forward), CameraTarget(body, subtree_com))
    import mujoco

    name = mujoco.mj_id2name(model, mujoco.mjtObj.mjOBJ_CAMERA, camera) or f"#{camera}"
    raise ValueError(f"MuJoCo camera {name!r} (cam_mode {mode}) turns with or aims at body {body}; the farm's camera "
                     "can only translate with a body (track, trackcom) or stay fixed in the world: pass eye= and "
                     "lookat= to RecordVideo, or record with a track/trackcom camera")


def _vec3(values: Sequence[float] | np.ndarray) -> Vec3:
    x, y, z = (float(v) for v in values)
    return (x, y, z)
