"""The farm draws MuJoCo scenes where MuJoCo does: silhouettes against MuJoCo's own segmentation.

The farm renders the exported robot twice, once in place and once moved behind the camera, without
its floor (so there are no shadows); the pixels that differ are the robot. MuJoCo renders the same
state through the same camera (eye, lookat, vertical field of view matched to the farm's 60°
horizontal lens at this aspect) with segmentation on; its robot is every geom not on the world body.
"""

from __future__ import annotations

import math
import subprocess
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

mujoco = pytest.importorskip("mujoco", reason="the mujoco extra is not installed")
gym = pytest.importorskip("gymnasium", reason="the gymnasium extra is not installed")

from renderfarm.rollout import Scene, write_rollout  # noqa: E402
from renderfarm.scene import from_mujoco, mujoco_body_poses  # noqa: E402

WIDTH, HEIGHT = 320, 240
FARM_HORIZONTAL_FOV = math.radians(60)
# Pixels whose largest channel changes by more than this between the two farm frames are robot.
DIFFERENCE_THRESHOLD = 24


def read_png(path: Path) -> np.ndarray:
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         capture_output=True, check=True, timeout=60).stdout
    return np.frombuffer(raw, np.uint8).reshape(HEIGHT, WIDTH, 3).astype(np.int16)


def farm_silhouette(farm_bin: Path, tmp_path: Path, scene: Scene, poses: np.ndarray, step_dt: float,
                    eye: np.ndarray, lookat: np.ndarray) -> np.ndarray:
    forward = (lookat - eye) / np.linalg.norm(lookat - eye)
    behind = poses.copy()
    behind[:, :3] = eye - 500 * forward
    robot = Scene([replace(s, color=(1.0, 0.0, 0.0)) for s in scene.shapes if s.body >= 0], scene.num_bodies,
                  scene.meshes)
    write_rollout(tmp_path / "r.rlt", robot, np.stack([poses, behind]), step_dt=step_dt)
    frames = tmp_path / "frames"
    subprocess.run([str(farm_bin / "farm-worker"), "render", "--rollout", str(tmp_path / "r.rlt"),
                    "--out", str(tmp_path / "clip.mp4"), "--png-dir", str(frames), "--backend", "newton_gl",
                    "--width", str(WIDTH), "--height", str(HEIGHT),
                    "--eye=" + ",".join(f"{v:.9g}" for v in eye), "--lookat=" + ",".join(f"{v:.9g}" for v in lookat)],
                   check=True, capture_output=True, timeout=300)
    posed, empty = read_png(frames / "frame_00000.png"), read_png(frames / "frame_00001.png")
    return np.abs(posed - empty).max(axis=-1) > DIFFERENCE_THRESHOLD


def mujoco_silhouette(model, data, lookat: np.ndarray, distance: float, azimuth: float,
                      elevation: float) -> np.ndarray:
    model.vis.global_.fovy = math.degrees(2 * math.atan(math.tan(FARM_HORIZONTAL_FOV / 2) * HEIGHT / WIDTH))
    camera = mujoco.MjvCamera()
    camera.type = mujoco.mjtCamera.mjCAMERA_FREE
    camera.lookat[:] = lookat
    camera.distance, camera.azimuth, camera.elevation = distance, azimuth, elevation
    with mujoco.Renderer(model, HEIGHT, WIDTH) as renderer:
        renderer.enable_segmentation_rendering()
        mujoco.mj_forward(model, data)
        renderer.update_scene(data, camera=camera)
        segmentation = renderer.render()
    robot_geoms = np.flatnonzero(model.geom_bodyid > 0)
    return np.isin(segmentation[..., 0], robot_geoms) & (segmentation[..., 1] == int(mujoco.mjtObj.mjOBJ_GEOM))


@pytest.mark.parametrize("env_id, azimuth, elevation, distance", [
    ("Ant-v5", 130.0, -25.0, 3.0),
    ("Humanoid-v5", 200.0, -15.0, 3.5),
    ("HalfCheetah-v5", 90.0, -10.0, 3.0),
])
def test_farm_silhouette_matches_mujoco_segmentation(env_id, azimuth, elevation, distance, farm_bin: Path,
                                                     tmp_path: Path) -> None:
    env = gym.make(env_id)
    env.reset(seed=1)
    env.action_space.seed(1)
    for _ in range(20):
        env.step(env.action_space.sample())
    model, data = env.unwrapped.model, env.unwrapped.data
    poses = mujoco_body_poses(model, data)
    lookat = poses[0, :3].copy()
    az, el = math.radians(azimuth), math.radians(elevation)
    # MuJoCo's free camera: looks along (cos el cos az, cos el sin az, sin el) from `distance` back.
    forward = np.array([math.cos(el) * math.cos(az), math.cos(el) * math.sin(az), math.sin(el)])
    eye = lookat - distance * forward

    farm = farm_silhouette(farm_bin, tmp_path, from_mujoco(model), poses, env.unwrapped.dt, eye, lookat)
    reference = mujoco_silhouette(model, data, lookat, distance, azimuth, elevation)
    env.close()
    iou = (farm & reference).sum() / (farm | reference).sum()
    print(f"{env_id}: silhouette IoU {iou:.4f} ({farm.sum()} farm pixels, {reference.sum()} MuJoCo pixels)")
    assert reference.sum() > 500, "the robot should fill part of the frame"
    assert iou >= 0.95
