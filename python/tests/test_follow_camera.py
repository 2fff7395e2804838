"""A walking robot stays in frame: a real MuJoCo Ant-v5 moved 4 m across the floor, recorded by a real
local farm in one job with two streams from one rollout — one camera following the robot's torso
(``origin_type="asset_root"``), one fixed in the world — as segmentation, decoded and measured frame
by frame: the robot's pixels stay centred in the followed stream and drift out of the fixed one."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from renderfarm.client import FarmClient
from renderfarm.rollout import write_rollout

gymnasium = pytest.importorskip("gymnasium", reason="the gymnasium extra is not installed")
mujoco = pytest.importorskip("mujoco", reason="the mujoco extra is not installed")

from renderfarm.scene import from_mujoco, mujoco_body_poses  # noqa: E402

WIDTH, HEIGHT, FRAMES = 160, 96, 40
BACKGROUND = np.array([40, 40, 40])


def ant_walking_rollout(path: Path) -> None:
    env = gymnasium.make("Ant-v5")
    env.reset(seed=0)
    model, data = env.unwrapped.model, env.unwrapped.data
    scene = from_mujoco(model)
    rows = []
    for step in range(FRAMES):
        data.qpos[0] = 0.1 * step  # the torso's free joint: x, 4 m over the clip
        rows.append(mujoco_body_poses(model, data))
    write_rollout(path, scene, np.stack(rows), step_dt=env.unwrapped.dt)
    env.close()


def decode(path: Path) -> np.ndarray:
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, HEIGHT, WIDTH, 3).astype(int)


def robot_centroids(frames: np.ndarray) -> list[tuple[float, float, int]]:
    """Per frame: the centroid (x, y) and count of pixels that are neither the background nor the
    floor's segmentation colour (each frame's most common non-background colour)."""
    found = []
    for frame in frames:
        pixels = frame.reshape(-1, 3)
        not_background = np.abs(pixels - BACKGROUND).sum(axis=1) > 30
        colours, counts = np.unique(pixels[not_background] // 8, axis=0, return_counts=True)
        floor = colours[np.argmax(counts)] * 8 + 4
        robot = not_background & (np.abs(pixels - floor).sum(axis=1) > 45)
        ys, xs = np.divmod(np.flatnonzero(robot), WIDTH)
        found.append((xs.mean() if len(xs) else -1.0, ys.mean() if len(ys) else -1.0, len(xs)))
    return found


def test_a_followed_robot_stays_centred_while_a_world_camera_loses_it(local_farm, tmp_path):  # noqa: F811
    rollout = tmp_path / "ant.rlt"
    ant_walking_rollout(rollout)
    offset = {"eye": [-2.5, -2.5, 2.0], "lookat": [0.0, 0.0, 0.3]}
    with FarmClient(local_farm.client_endpoint, timeout=60) as client:
        job = client.submit(rollout, task="Ant-v5", run="follow", workflow="rsl_rl", video_length=FRAMES,
                            video_interval=0, width=WIDTH, height=HEIGHT,
                            streams=[{"prefix": "follow", "output": "segmentation", "origin_type": "asset_root",
                                      "asset_name": "robot", **offset},
                                     {"prefix": "world", "output": "segmentation", **offset}])
        done = client.wait(job["id"], timeout=600)
    assert done["state"] == "completed", done
    video_dir = Path(done["video_dir"])
    followed = robot_centroids(decode(video_dir / "follow_0000.mp4"))
    fixed = robot_centroids(decode(video_dir / "world_0000.mp4"))
    assert len(followed) == len(fixed) == FRAMES
    assert all(count > 40 for _, _, count in followed), [c for _, _, c in followed]
    # The robot's legs swing about the torso as it moves, so its centroid wanders a little.
    first_x, first_y, _ = followed[0]
    for x, y, _ in followed:
        assert abs(x - first_x) < 0.05 * WIDTH and abs(y - first_y) < 0.05 * HEIGHT, followed
    assert abs(first_x - WIDTH / 2) < 0.1 * WIDTH and abs(first_y - HEIGHT / 2) < 0.15 * HEIGHT, followed[0]
    # Fixed in the world, the same view starts on the robot and loses it (out of frame or far off centre).
    start_x, _, _ = fixed[0]
    end_x, _, end_count = fixed[-1]
    assert abs(start_x - first_x) < 2
    assert end_count < 40 or abs(end_x - start_x) > 0.25 * WIDTH, fixed[-1]
