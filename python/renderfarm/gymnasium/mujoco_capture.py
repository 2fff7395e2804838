"""Body poses of gymnasium MuJoCo envs, captured cheaply on the training thread and turned into
farm rollouts off it.

On the training thread a recorded step costs one copy of ``qpos`` (and the mocap poses, when the
model has mocap bodies) per env. The courier thread replays each copy through ``mj_kinematics`` on
a private ``MjData`` (so poses are current, not one physics step behind ``qpos``), converts them to
the farm's convention (world body → -1, other bodies shifted down by one, quaternions x,y,z,w) and
encodes the rollout.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..rollout import encode_rollout
from ..scene import from_mujoco, grid_origins, mujoco_body_poses, place_body_q, replicate


def mujoco_env(env) -> tuple[object, object]:
    """The ``(model, data)`` of a gymnasium MuJoCo env (any wrappers on top)."""
    inner = env.unwrapped
    model, data = getattr(inner, "model", None), getattr(inner, "data", None)
    if model is None or data is None or not hasattr(model, "nbody"):
        raise TypeError(f"{inner!r} is not a gymnasium MuJoCo env (it has no MuJoCo model and data); "
                        "renderfarm.gymnasium.RecordVideo records MuJoCo envs' body poses")
    return model, data


def free_camera(model, config: dict | None = None, lookat_override: Sequence[float] | None = None
                ) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
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
    eye = lookat - distance * forward
    return tuple(float(v) for v in eye), tuple(float(v) for v in lookat)


class MujocoCapture:
    """One or more in-process MuJoCo envs sharing a model; several envs are laid out on Isaac Lab's
    env grid (``env_spacing`` apart) in one farm scene."""

    def __init__(self, model, datas: Sequence[object], *, env_spacing: float = 0.0):
        import mujoco

        self.model = model
        self.datas = list(datas)
        self.num_envs = len(self.datas)
        self._nq = model.nq
        self._mocap = model.nmocap > 0
        self._scratch = mujoco.MjData(model)
        scene = from_mujoco(model)
        self.origins = grid_origins(self.num_envs, env_spacing)
        self.scene = replicate(scene, self.origins, static="first") if self.num_envs > 1 else scene

    # Training thread: a copy per recorded step.

    def snapshot(self) -> np.ndarray:
        if self.num_envs == 1 and not self._mocap:
            return self.datas[0].qpos.copy()
        return np.stack([self._state(data) for data in self.datas])

    def _state(self, data) -> np.ndarray:
        if not self._mocap:
            return data.qpos.copy()
        return np.concatenate([data.qpos, data.mocap_pos.ravel(), data.mocap_quat.ravel()])

    # Courier thread.

    def body_q(self, snapshots: Sequence[np.ndarray]) -> np.ndarray:
        """``[steps, num_envs × (nbody − 1), 7]`` in the farm's convention, env ``k`` at its grid origin."""
        scratch = self._scratch
        nq, nmocap = self._nq, self.model.nmocap
        steps = []
        for snapshot in snapshots:
            envs = []
            for state in snapshot.reshape(self.num_envs, -1):
                scratch.qpos[:] = state[:nq]
                if self._mocap:
                    scratch.mocap_pos[:] = state[nq:nq + 3 * nmocap].reshape(nmocap, 3)
                    scratch.mocap_quat[:] = state[nq + 3 * nmocap:].reshape(nmocap, 4)
                envs.append(mujoco_body_poses(self.model, scratch))
            steps.append(envs)
        return place_body_q(np.asarray(steps), self.origins)

    def rollout(self, snapshots: Sequence[np.ndarray], *, first_step: int, step_dt: float) -> bytes:
        return encode_rollout(self.scene, self.body_q(snapshots), step_dt=step_dt, first_step=first_step)
