"""Body poses of gymnasium MuJoCo envs: copied as MuJoCo computed them on each recorded step, turned
into one farm rollout per clip.

A recorded step copies ``data.xpos``/``data.xquat`` (and the camera's tracked point), the poses
``mj_step`` computed and MuJoCo's renderer draws (gymnasium's frames show them too), into the clip's
one array (``ClipFrames``); no kinematics run again; the copy puts the quaternions in the farm's
x,y,z,w order. At the clip's end the courier thread takes that array as it is (envs moved to their
grid origins) and serialises it once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from ..rollout import Asset, Scene, SceneEncoder, Viewer
from ..scene import from_mujoco, grid_origins, place_body_q, replicate
from ..scene.transforms import wxyz_to_xyzw
from .camera import FarmCamera

#: The asset (and its one body) the tracked camera point is written as: one more body_q row, no shapes.
CAMERA_TARGET = "camera_target"


def mujoco_env(env: Any) -> tuple[Any, Any]:
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


class ClipFrames:
    """A clip's frames as one array ``[frames, *frame_shape]``, filled a frame at a time where it
    lies (no array made per frame, none stacked at the end); room for ``capacity`` frames, doubled
    when a clip of no fixed length outgrows it."""

    def __init__(self, frame_shape: tuple[int, ...], capacity: int):
        self._array = np.empty((max(1, capacity), *frame_shape))
        self.count = 0

    def next_frame(self) -> np.ndarray:
        """The next frame's row, to be filled now."""
        if self.count == len(self._array):
            self._array = np.concatenate([self._array, np.empty_like(self._array)])
        frame: np.ndarray = self._array[self.count]
        self.count += 1
        return frame

    def frames(self) -> np.ndarray:
        return self._array[:self.count]


class MujocoScene:
    """The farm scene of ``num_envs`` MuJoCo envs sharing a model, laid out on Isaac Lab's env grid
    (``env_spacing`` apart), played back ``step_dt`` apart. A ``camera`` with a target (single env
    only) adds the tracked point as the scene's last body. Subclasses fill a frame of
    ``frame_shape`` per recorded step and turn a clip's frames into body_q."""

    frame_shape: tuple[int, ...]

    def __init__(self, model: Any, num_envs: int, *, step_dt: float, env_spacing: float = 0.0,
                 camera: FarmCamera | None = None):
        self.model = model
        self.num_envs = num_envs
        self._bodies = model.nbody - 1
        self._target = camera.target if camera is not None else None
        if self._target is not None and num_envs > 1:
            raise ValueError("a camera that follows a body records one env; several envs share one scene camera")
        self._rows = self._bodies + (self._target is not None)
        scene = from_mujoco(model)
        self.origins = grid_origins(num_envs, env_spacing)
        if num_envs > 1:
            scene = replicate(scene, self.origins, static="first")
        self.scene = followed_scene(scene, camera) if camera is not None and self._target is not None else scene
        self.encoder = SceneEncoder(self.scene, step_dt=step_dt)

    def snapshot_into(self, frame: np.ndarray) -> None:
        raise NotImplementedError

    def body_q(self, frames: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def rollout(self, frames: np.ndarray, *, first_step: int) -> bytes:
        """Courier thread, once per clip."""
        return self.encoder.encode(self.body_q(frames), first_step=first_step)

    def _placed(self, clip: np.ndarray) -> np.ndarray:
        """``[steps, num_envs, rows, 7]`` farm poses as the scene's ``[steps, num_envs × rows, 7]``."""
        return place_body_q(clip, self.origins) if self.num_envs > 1 else clip[:, 0]


class MujocoCapture(MujocoScene):
    """In-process envs (``MjData`` each): a recorded step copies what MuJoCo computed."""

    def __init__(self, model: Any, datas: Sequence[Any], **scene: Any):
        super().__init__(model, len(datas), **scene)
        self.datas = list(datas)
        # Views of each MjData's own arrays (fixed for its life), so that a recorded step only copies:
        # the bodies' xpos, xquat's x,y,z and w (MuJoCo holds w,x,y,z; the farm x,y,z,w).
        self._sources = [(data.xpos[1:], data.xquat[1:, 1:], data.xquat[1:, 0])
                         for data in self.datas]
        self.frame_shape = (self.num_envs, self._rows, 7)

    def snapshot_into(self, frame: np.ndarray) -> None:
        """Training thread: ``frame`` (``[num_envs, rows, 7]``) gets per body ``xpos`` then ``xquat``
        as the farm orders it (x,y,z,w): the copy is the conversion."""
        for k, (xpos, xyz, w) in enumerate(self._sources):
            frame[k, :self._bodies, :3] = xpos
            frame[k, :self._bodies, 3:6] = xyz
            frame[k, :self._bodies, 6] = w
        if self._target is not None:
            frame[0, -1, :3] = self._target.position(self.datas[0])
            frame[0, -1, 3:] = (0.0, 0.0, 0.0, 1.0)

    def body_q(self, frames: np.ndarray) -> np.ndarray:
        return self._placed(frames)


class WorkerCapture(MujocoScene):
    """The first ``num_envs`` sub-envs of an ``AsyncVectorEnv``, whose MuJoCo state lives in worker
    processes: a recorded step gathers every env's ``state_vector()`` (qpos, qvel) in one round trip
    to the workers (``call``), and the courier replays each frame's qpos through ``mj_kinematics`` on a
    private ``MjData``. Mocap bodies are not carried (gymnasium's MuJoCo envs have none); poses are
    those of the step's end, one physics substep past the ``xpos`` MuJoCo's renderer would draw."""

    def __init__(self, model: Any, vector_env: Any, num_envs: int, **scene: Any):
        import mujoco

        super().__init__(model, num_envs, **scene)
        self._vector_env = vector_env
        self._scratch = mujoco.MjData(model)
        self.frame_shape = (num_envs, model.nq)

    def snapshot_into(self, frame: np.ndarray) -> None:
        for k, state in enumerate(self._vector_env.call("state_vector")[:self.num_envs]):
            frame[k] = state[:self.model.nq]

    def body_q(self, frames: np.ndarray) -> np.ndarray:
        import mujoco

        clip = np.empty((len(frames), self.num_envs, self._rows, 7))
        for step, qpos in enumerate(frames):
            for k in range(self.num_envs):
                self._scratch.qpos[:] = qpos[k]
                mujoco.mj_kinematics(self.model, self._scratch)
                clip[step, k, :, :3] = self._scratch.xpos[1:]
                clip[step, k, :, 3:] = wxyz_to_xyzw(self._scratch.xquat[1:])
        return self._placed(clip)
