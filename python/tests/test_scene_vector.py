"""Vectorised runs: gymnasium vector envs placed on Isaac Lab's grid, and frustum culling of envs."""

from __future__ import annotations

import itertools
import math
import subprocess
from pathlib import Path

import numpy as np
import pytest

from renderfarm.rollout import encode_rollout, read_rollout, write_rollout
from renderfarm.scene import Camera, cull_envs, grid_origins, place_body_q, replicate
from renderfarm.scene.transforms import compose, rotate

BYTES_PER_POSE = 28


def test_grid_origins_match_the_farms_env_grid(tmp_path: Path, farm_bin: Path) -> None:
    out = tmp_path / "cartpole.rlt"
    subprocess.run([str(farm_bin / "farmctl"), "rollout", "--builtin", "cartpole", "--steps", "1", "--num_envs", "7",
                    "--out", str(out)], check=True, capture_output=True, timeout=120)
    rollout = read_rollout(out)
    rails = rollout.body_q[0, 0::3, :2]  # each env's rail sits at its origin (x, y)
    np.testing.assert_allclose(rails, grid_origins(7, rollout.env_spacing)[:, :2], atol=1e-6)


def test_gymnasium_vector_env_exports_every_env_in_place(tmp_path: Path, inspect_rollout) -> None:
    gym = pytest.importorskip("gymnasium", reason="the gymnasium extra is not installed")
    from renderfarm.scene import from_mujoco, mujoco_body_poses

    envs = gym.make_vec("Ant-v5", num_envs=4, vectorization_mode="sync")
    envs.reset(seed=0)
    envs.action_space.seed(0)
    units = [env.unwrapped for env in envs.envs]
    origins = grid_origins(len(units), spacing=5.0)
    one = from_mujoco(units[0].model)
    scene = replicate(one, origins)
    rows = []
    for _ in range(3):
        envs.step(envs.action_space.sample())
        rows.append(place_body_q(np.stack([mujoco_body_poses(u.model, u.data) for u in units]), origins))
    rows = np.array(rows)
    assert scene.num_envs == 4 and scene.num_bodies == 4 * one.num_bodies
    assert len(scene.shapes) == 4 * len(one.shapes) and scene.env_spacing == pytest.approx(5.0)
    for k, unit in enumerate(units):
        block = rows[-1, k * one.num_bodies:(k + 1) * one.num_bodies]
        np.testing.assert_allclose(block[:, :3] - origins[k], mujoco_body_poses(unit.model, unit.data)[:, :3],
                                   atol=1e-12)
    floors = [s for s in scene.shapes if s.type == "plane"]
    assert [f.transform[:3] for f in floors] == [tuple(o) for o in origins]
    write_rollout(tmp_path / "vec.rlt", scene, rows, step_dt=units[0].dt)
    np.testing.assert_allclose(np.array(inspect_rollout(tmp_path / "vec.rlt")["body_q"]), rows, atol=1e-5)
    assert len(replicate(one, origins, static="first").shapes) == 4 * len(one.shapes) - 3
    envs.close()


def test_camera_frustum_matches_the_farms_lens() -> None:
    camera = Camera(eye=(0, 0, 0), lookat=(1, 0, 0), width=1280, height=720)
    # Points just inside and outside the 60° horizontal field of view, 10 m ahead.
    edge = 10 * math.tan(math.radians(30))
    assert camera.spheres_visible(np.array([[10, edge - 0.01, 0], [10, edge + 0.01, 0]]), 0.0).tolist() == [True, False]
    vertical = 10 * math.tan(camera.vertical_fov / 2)
    assert camera.spheres_visible(np.array([[10, 0, vertical - 0.01], [10, 0, vertical + 0.01]]), 0.0).tolist() == [
        True, False]
    assert camera.spheres_visible(np.array([[-1, 0, 0], [10, edge + 0.5, 0]]), np.array([0.9, 0.5])).tolist() == [
        False, True]


def _in_frame(camera: Camera, points: np.ndarray) -> np.ndarray:
    right, up, forward = camera.basis()
    relative = points - np.asarray(camera.eye)
    z = relative @ forward
    x = relative @ right / np.maximum(z, 1e-9) / math.tan(camera.horizontal_fov / 2)
    y = relative @ up / np.maximum(z, 1e-9) / math.tan(camera.vertical_fov / 2)
    return (z > camera.near) & (np.abs(x) <= 1) & (np.abs(y) <= 1)


def test_isaac_lab_cartpole_camera_keeps_a_few_dozen_of_4096_envs(tmp_path: Path, farm_bin: Path) -> None:
    out = tmp_path / "cartpole.rlt"
    steps = 10
    subprocess.run([str(farm_bin / "farmctl"), "rollout", "--builtin", "cartpole", "--steps", str(steps),
                    "--num_envs", "4096", "--out", str(out)], check=True, capture_output=True, timeout=300)
    rollout = read_rollout(out)
    viewer = rollout.viewer
    camera = Camera(eye=viewer.eye, lookat=viewer.lookat, width=1280, height=720)
    culled = cull_envs(rollout.scene, rollout.body_q, camera)

    # Conservative: every env with a box corner in the frame at any step is kept.
    corners = np.array(list(itertools.product((-1, 1), repeat=3)), dtype=np.float64)
    seen = np.zeros(rollout.num_envs, dtype=bool)
    per_env = rollout.num_bodies // rollout.num_envs
    for shape in rollout.shapes:
        if shape.body < 0:
            continue
        pose = compose(rollout.body_q[:, shape.body].astype(np.float64), shape.transform)
        points = pose[:, None, :3] + rotate(pose[:, None, 3:], corners * shape.half_extents)
        seen[shape.body // per_env] |= _in_frame(camera, points.reshape(-1, 3)).any()
    assert set(np.flatnonzero(seen)) <= set(culled.envs.tolist())
    assert 10 <= len(culled.envs) <= 100, f"{len(culled.envs)} envs kept"

    full = len(encode_rollout(rollout.scene, rollout.body_q, step_dt=rollout.step_dt))
    kept = len(encode_rollout(culled.scene, culled.body_q, step_dt=rollout.step_dt))
    print(f"\nIsaac Lab Cartpole camera {viewer.eye}->{viewer.lookat}, {rollout.num_envs} envs: "
          f"{len(culled.envs)} kept ({int(seen.sum())} with a corner in frame); body_q bytes per recorded step "
          f"{rollout.num_bodies * BYTES_PER_POSE} without culling, {culled.scene.num_bodies * BYTES_PER_POSE} with; "
          f"{steps}-step rollout {full} vs {kept} bytes")
    assert culled.scene.num_bodies * BYTES_PER_POSE * 20 < rollout.num_bodies * BYTES_PER_POSE
