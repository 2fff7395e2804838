"""Body poses of gymnasium MuJoCo envs: copied as MuJoCo computed them on each recorded step, turned
into one farm rollout per clip.

A recorded step copies ``data.xpos``/``data.xquat`` (and the camera's tracked point), the poses
``mj_step`` computed and MuJoCo's renderer draws (gymnasium's frames show them too); no kinematics
run again. At the clip's end the courier thread converts the whole clip at once (quaternions
w,x,y,z → x,y,z,w, envs moved to their grid origins) and serialises it once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from ..rollout import Asset, Scene, SceneEncoder, Viewer
from ..scene import from_mujoco, grid_origins, place_body_q, replicate
from ..scene.transforms import wxyz_to_xyzw
from .camera import FarmCamera

#: The asset (and its one body) the tracked camera point is written as: one more body_q row, no shapes.
CAMERA_TARGET = "camera_target"


def mujoco_env(env) -> tuple[object, object]:
    """The ``(model, data)`` of a gymnasium MuJoCo env (any wrappers on top)."""
    inner = env.unwrapped
    model, data = getattr(inner, "model", None), getattr(inner, "data", None)
    if model is None or data is None or not hasattr(model, "nbody"):
        raise TypeError(f"{inner!r} is not a gymnasium MuJoCo env (it has no MuJoCo model and data); "
                        "renderfarm.gymnasium.RecordVideo records MuJoCo envs' body poses")
    return model, data


def followed_scene(scene: Scene, camera: FarmCamera) -> Scene:
    """``scene`` with the camera's tracked point as one more body (the last row), named as an asset
    the viewer's ``asset_body`` origin follows, ``camera.eye``/``lookat`` its offsets."""
    row = scene.num_bodies
    return replace(scene, num_bodies=row + 1, assets=[*scene.assets, Asset(CAMERA_TARGET, [CAMERA_TARGET], [[row]])],
                   viewer=Viewer(camera.eye, camera.lookat, "asset_body", asset_name=CAMERA_TARGET,
                                 body_name=CAMERA_TARGET))


class MujocoCapture:
    """One or more in-process MuJoCo envs sharing a model; several envs are laid out on Isaac Lab's
    env grid (``env_spacing`` apart) in one farm scene, played back ``step_dt`` apart. A ``camera``
    with a target (single env only) adds the tracked point as the scene's last body."""

    def __init__(self, model, datas: Sequence[object], *, step_dt: float, env_spacing: float = 0.0,
                 camera: FarmCamera | None = None):
        self.datas = list(datas)
        self.num_envs = len(self.datas)
        self._bodies = model.nbody - 1
        self._target = camera.target if camera is not None else None
        if self._target is not None and self.num_envs > 1:
            raise ValueError("a camera that follows a body records one env; several envs share one scene camera")
        self._rows = self._bodies + (self._target is not None)
        scene = from_mujoco(model)
        self.origins = grid_origins(self.num_envs, env_spacing)
        if self.num_envs > 1:
            scene = replicate(scene, self.origins, static="first")
        self.scene = followed_scene(scene, camera) if self._target is not None else scene
        self.encoder = SceneEncoder(self.scene, step_dt=step_dt)

    # Training thread: a copy per recorded step.

    def snapshot(self) -> np.ndarray:
        """``[num_envs, rows, 7]``: per body ``xpos`` then ``xquat`` (w,x,y,z) as MuJoCo holds them."""
        frame = np.empty((self.num_envs, self._rows, 7))
        for k, data in enumerate(self.datas):
            frame[k, :self._bodies, :3] = data.xpos[1:]
            frame[k, :self._bodies, 3:] = data.xquat[1:]
        if self._target is not None:
            frame[0, -1, :3] = self._target.position(self.datas[0])
            frame[0, -1, 3:] = (1.0, 0.0, 0.0, 0.0)
        return frame

    # Courier thread: once per clip.

    def body_q(self, snapshots: Sequence[np.ndarray]) -> np.ndarray:
        """``[steps, num_envs × rows, 7]`` in the farm's convention, env ``k`` at its grid origin."""
        clip = np.stack(snapshots)
        clip[..., 3:] = wxyz_to_xyzw(clip[..., 3:])
        return place_body_q(clip, self.origins) if self.num_envs > 1 else clip[:, 0]

    def rollout(self, snapshots: Sequence[np.ndarray], *, first_step: int) -> bytes:
        return self.encoder.encode(self.body_q(snapshots), first_step=first_step)
