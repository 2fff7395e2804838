"""The farm's camera follows a tracked body every frame, as MuJoCo's does.

Humanoid-v5's ``default_camera_config`` tracks the torso (``trackbodyid`` 1): MuJoCo's tracking camera
(``mjCAMERA_TRACKING``) looks at ``data.subtree_com[1]`` every frame from a fixed distance and angle.
A random policy moves the humanoid for a 200-step clip recorded by ``renderfarm.gymnasium.RecordVideo``
on a real local farm (decoded; the robot is its orange pixels); MuJoCo's own renderer draws every
recorded state through its tracking camera (segmentation, field of view matched to the farm's 60°
horizontal lens).
In every frame the robot's silhouette centroid is where MuJoCo puts it, within 2 % of the frame width;
a camera left where the clip started is not (checked, so the test can tell the two apart).

gymnasium 1.4's own ``MujocoRenderer`` resets its camera to ``mjCAMERA_FREE`` on every render, so its
clips do not follow ``trackbodyid`` (python/README.md); the farm follows what the config asks for.
"""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

import numpy as np
import pytest


gym = pytest.importorskip("gymnasium", reason="the gymnasium extra is not installed")
mujoco = pytest.importorskip("mujoco", reason="the mujoco extra is not installed")

from renderfarm.gymnasium import RecordVideo  # noqa: E402
from renderfarm.gymnasium.camera import CameraTarget, env_camera  # noqa: E402

WIDTH, HEIGHT, FRAMES = 240, 180, 200
FARM_HORIZONTAL_FOV = math.radians(60)
TOLERANCE_PX = 0.02 * WIDTH
ORANGE_MARGIN = 15  # red over green and blue, 0..255


def decode(path: Path) -> np.ndarray:
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         capture_output=True, check=True, timeout=120).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, HEIGHT, WIDTH, 3).astype(int)


def farm_centroid(frame: np.ndarray) -> np.ndarray:
    """Centroid (x, y) of the robot's pixels: Humanoid's material is orange, red well above green and
    blue, where the floor, its shadows and the sky have red below green or blue."""
    robot = frame[..., 0] - frame[..., 1:].max(axis=-1) > ORANGE_MARGIN
    ys, xs = np.nonzero(robot)
    assert len(xs) > 200, "the robot should be in the farm's frame"
    return np.array([xs.mean(), ys.mean()])


class MujocoSilhouettes:
    """MuJoCo's segmentation of the robot (every geom not on the world body) through a camera."""

    def __init__(self, model):
        model.vis.global_.fovy = math.degrees(2 * math.atan(math.tan(FARM_HORIZONTAL_FOV / 2) * HEIGHT / WIDTH))
        self.model = model
        self.renderer = mujoco.Renderer(model, HEIGHT, WIDTH)
        self.renderer.enable_segmentation_rendering()
        self.robot_geoms = np.flatnonzero(model.geom_bodyid > 0)

    def centroid(self, data, camera) -> np.ndarray:
        # update_scene draws data.xpos/xquat as mj_step left them, as gymnasium's renderer does.
        self.renderer.update_scene(data, camera=camera)
        segmentation = self.renderer.render()
        robot = (np.isin(segmentation[..., 0], self.robot_geoms)
                 & (segmentation[..., 1] == int(mujoco.mjtObj.mjOBJ_GEOM)))
        ys, xs = np.nonzero(robot)
        return np.array([xs.mean(), ys.mean()]) if len(xs) else np.array([np.nan, np.nan])

    def close(self) -> None:
        self.renderer.close()


def free_camera(model, config: dict) -> mujoco.MjvCamera:
    camera = mujoco.MjvCamera()
    mujoco.mjv_defaultFreeCamera(model, camera)
    for key, value in config.items():
        if isinstance(value, np.ndarray):
            getattr(camera, key)[:] = value
        else:
            setattr(camera, key, value)
    return camera


def test_humanoid_stays_where_mujocos_tracking_camera_keeps_it(local_farm, tmp_path):  # noqa: F811
    env = gym.make("Humanoid-v5", terminate_when_unhealthy=False, width=WIDTH, height=HEIGHT)
    model, data = env.unwrapped.model, env.unwrapped.data
    config = dict(env.unwrapped.mujoco_renderer.default_cam_config)
    assert config["trackbodyid"] == 1
    tracking = free_camera(model, config)
    tracking.type = mujoco.mjtCamera.mjCAMERA_TRACKING
    silhouettes = MujocoSilhouettes(model)
    recorder = RecordVideo(env, str(tmp_path), step_trigger=lambda s: s == 0, video_length=FRAMES,
                           endpoint=local_farm.client_endpoint)
    recorder.reset(seed=7)
    recorder.action_space.seed(7)
    reference, fixed, com = [], [], []
    for _ in range(FRAMES):
        recorder.step(recorder.action_space.sample())
        reference.append(silhouettes.centroid(data, tracking))
        if not fixed:
            # A camera left where the clip started: MuJoCo's free camera at the first frame's lookat.
            still = free_camera(model, {**config, "trackbodyid": -1, "lookat": data.subtree_com[1].copy()})
        fixed.append(silhouettes.centroid(data, still))
        com.append(data.subtree_com[1].copy())
    assert recorder.close(timeout=300) == []
    silhouettes.close()

    frames = decode(tmp_path / "rl-video-step-0.mp4")
    assert len(frames) == FRAMES
    farm = np.array([farm_centroid(frame) for frame in frames])
    reference, fixed = np.array(reference), np.array(fixed)
    error = np.linalg.norm(farm - reference, axis=1)
    print(f"humanoid's centre of mass moved {np.linalg.norm(com[-1] - com[0]):.2f} m; farm vs MuJoCo centroid: "
          f"max {error.max():.2f} px, median {np.median(error):.2f} px (tolerance {TOLERANCE_PX:.1f} px)")
    worst = int(error.argmax())
    assert error.max() <= TOLERANCE_PX, f"frame {worst}: farm {farm[worst]}, MuJoCo {reference[worst]}"
    drift = np.nanmax(np.linalg.norm(fixed - reference, axis=1))
    assert drift > 3 * TOLERANCE_PX, f"a camera that stays put drifts only {drift:.1f} px: the test cannot tell"


@pytest.mark.parametrize("env_id, camera_name", [("Humanoid-v5", "track"), ("Ant-v5", "track"), ("Hopper-v5", "track")])
def test_a_tracking_model_camera_becomes_offsets_from_its_target(env_id, camera_name):
    """gymnasium's MuJoCo envs name a ``trackcom`` camera ``track``: the farm's eye is its offset from
    the tracked point and it looks the way MuJoCo's does, in any state."""
    env = gym.make(env_id, camera_name=camera_name)
    model, data = env.unwrapped.model, env.unwrapped.data
    camera_id = mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_CAMERA, camera_name)
    camera = env_camera(env, model)
    mode = int(model.cam_mode[camera_id])
    assert camera.target == CameraTarget(int(model.cam_bodyid[camera_id]), subtree_com=mode == 2)
    env.reset(seed=0)
    for _ in range(30):
        env.step(env.action_space.sample())
    mujoco.mj_forward(model, data)  # cam_xpos/xmat of this state, with xpos and subtree_com
    origin = camera.target.position(data)
    forward = -data.cam_xmat[camera_id].reshape(3, 3)[:, 2]
    np.testing.assert_allclose(origin + camera.eye, data.cam_xpos[camera_id], atol=1e-9)
    np.testing.assert_allclose(np.subtract(camera.lookat, camera.eye), forward, atol=1e-9)
    env.close()


def test_a_camera_that_turns_with_its_body_is_refused_naming_it():
    env = gym.make("Humanoid-v5", camera_id=1)  # humanoid.xml's second camera: fixed on a foot, turning with it
    with pytest.raises(ValueError, match="turns with or aims at body"):
        env_camera(env, env.unwrapped.model)
    env.close()
