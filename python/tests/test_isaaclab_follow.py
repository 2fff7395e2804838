"""An Isaac Lab env's viewer that follows its robot, through the trainer-side recorder: a real Newton 1.8
model laid out as Isaac Lab's cloner lays one out (articulation labels ``/World/envs/env_<i>/Robot/...``,
one world per env), a scene naming ``robot`` by its prim path, and ``ViewerCfg(origin_type=
"asset_root", asset_name="robot", env_index=2)``: the rollout names the robot as the scene does, and the
farm's clip keeps env 2's robot centred while it travels (decoded and measured frame by frame). Isaac
Lab 3's own camera config, a ``KitVisualizerCfg`` tracking ``origin_track_path="robot"``, maps to the same."""

from __future__ import annotations

import re
import subprocess
import types
from pathlib import Path

import numpy as np
import pytest

import test_isaaclab  # noqa: F401 (registers Isaac Lab's config modules without Isaac Sim)

newton = pytest.importorskip("newton", reason="the newton extra is not installed")
wp = pytest.importorskip("warp", reason="the newton extra is not installed")
gymnasium = pytest.importorskip("gymnasium", reason="the gymnasium extra is not installed")

from isaaclab.envs.common import ViewerCfg  # noqa: E402
from isaaclab.envs.utils.video_recorder_cfg import VideoRecorderCfg  # noqa: E402

from renderfarm.isaaclab import (FarmVideoRecorder, NewtonPoses, job_camera_fields, recorder_camera_cfg,  # noqa: E402
                                 scene_entities, viewer)
from renderfarm.rollout import Viewer  # noqa: E402

ENVS, WIDTH, HEIGHT = 3, 128, 96


def cloned_ants() -> object:
    xml = re.sub(r'\s*solver="PGS"', "", (Path(gymnasium.__file__).parent / "envs/mujoco/assets/ant.xml").read_text())
    # ant.xml's own floor, cloned per env, would be three coplanar planes fighting over each pixel.
    ant = newton.ModelBuilder()
    ant.add_mjcf(xml, ignore_names=("floor",))
    builder = newton.ModelBuilder()
    builder.add_ground_plane()
    for env in range(ENVS):
        builder.begin_world()
        builder.add_builder(ant, xform=wp.transform((0.0, 3.0 * env, 0.0), wp.quat_identity()),
                            label_prefix=f"/World/envs/env_{env}/Robot")
        builder.end_world()
    return builder.finalize(device="cpu")


def isaac_lab_env(viewer_cfg) -> types.SimpleNamespace:
    class NewtonManager:
        pass

    robot = types.SimpleNamespace(cfg=types.SimpleNamespace(prim_path="/World/envs/env_.*/Robot",
                                                            articulation_root_prim_path=None))
    return types.SimpleNamespace(sim=types.SimpleNamespace(physics_manager=NewtonManager, visualizers=[]),
                                 scene=types.SimpleNamespace(sensors={}, articulations={"robot": robot}),
                                 cfg=types.SimpleNamespace(viewer=viewer_cfg), metadata={"render_fps": 30},
                                 step_dt=1 / 30)


def test_the_scene_names_its_robot_as_isaac_lab_does():
    model = cloned_ants()
    follow = ViewerCfg(eye=(-2.0, -2.0, 1.5), lookat=(0.0, 0.0, 0.0), origin_type="asset_body", asset_name="robot",
                       body_name="torso", env_index=2)
    poses = NewtonPoses(viewer(follow), model, model.state, entities=scene_entities(isaac_lab_env(follow)))
    [robot] = poses.scene.assets
    assert robot.name == "robot" and robot.body_names[0] == "torso" and robot.env_count(ENVS) == ENVS
    worlds = model.body_world.numpy()
    assert all(set(worlds[list(robot.rows(env))]) == {env} for env in range(ENVS))
    assert (poses.scene.viewer.origin_type, poses.scene.viewer.asset_name, poses.scene.viewer.body_name,
            poses.scene.viewer.env_index) == ("asset_body", "robot", "torso", 2)
    # Without the scene's names, the articulations keep their labels, one per env.
    assert [a.name for a in NewtonPoses(None, model, model.state).scene.assets][:1] == ["/World/envs/env_0/Robot/ant"]


def robot_centroids(path: Path) -> list[tuple[float, float]]:
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         capture_output=True, check=True).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, HEIGHT, WIDTH, 3).astype(int)
    # Segmentation: the background is (40, 40, 40); the floor is the clip's most common other colour.
    pixels = frames.reshape(-1, 3)
    colours, counts = np.unique(pixels[np.abs(pixels - 40).sum(axis=1) > 30], axis=0, return_counts=True)
    floor = colours[np.argmax(counts)]
    found = []
    for frame in frames:
        pixels = frame.reshape(-1, 3)
        robots = (np.abs(pixels - 40).sum(axis=1) > 30) & (np.abs(pixels - floor).sum(axis=1) > 45)
        ys, xs = np.divmod(np.flatnonzero(robots), WIDTH)
        found.append((xs.mean(), ys.mean()) if len(xs) > 30 else (-1.0, -1.0))
    return found


def kit_visualizer_env() -> types.SimpleNamespace:
    """Isaac Lab 3's own way: a Kit visualizer tracking ``robot`` in env 2 (``ViewerCfg`` is deprecated)."""
    from isaaclab_visualizers.kit.kit_visualizer_cfg import KitVisualizerCfg

    kit = KitVisualizerCfg(eye=(-2.5, -2.5, 2.0), lookat=(0.0, 0.0, 0.3), origin_type="asset",
                           origin_track_path="robot", origin_env_index=2, window_width=WIDTH, window_height=HEIGHT)
    env = isaac_lab_env(ViewerCfg())
    env.sim.visualizers = [types.SimpleNamespace(cfg=kit)]
    return env


def test_a_kit_visualizer_is_the_recorders_camera_with_its_origin():
    env = kit_visualizer_env()
    camera = recorder_camera_cfg(env, VideoRecorderCfg(source="visualizer:kit"))
    assert camera is env.sim.visualizers[0].cfg
    assert viewer(camera) == Viewer((-2.5, -2.5, 2.0), (0.0, 0.0, 0.3), "asset_root", env_index=2, asset_name="robot")
    assert job_camera_fields(camera) == {"width": WIDTH, "height": HEIGHT}
    # No Newton visualizer is active: a newton source falls back to the env's ViewerCfg, as a sensor does.
    assert recorder_camera_cfg(env, VideoRecorderCfg(source="visualizer:newton")) is env.cfg.viewer
    assert recorder_camera_cfg(env, VideoRecorderCfg(source="sensor:wrist:depth")) is env.cfg.viewer


def test_farm_video_recorder_follows_the_viewers_robot(local_farm, tmp_path):  # noqa: F811
    model = cloned_ants()
    state = model.state()
    env = isaac_lab_env(ViewerCfg(eye=(-2.5, -2.5, 2.0), lookat=(0.0, 0.0, 0.3), origin_type="asset_root",
                                  asset_name="robot", env_index=2, resolution=(WIDTH, HEIGHT)))
    cfg = VideoRecorderCfg(source="sensor:viewer:segmentation", output_dir=str(tmp_path), video_length=30)
    recorder = FarmVideoRecorder(cfg, env, task="Ant-Newton", endpoint=local_farm.client_endpoint,
                                 newton_model=model, newton_state=lambda: state)
    joint_q = model.joint_q.numpy()
    per_env = len(joint_q) // ENVS
    for step in range(30):
        for env_index in range(ENVS):
            joint_q[env_index * per_env] = 0.12 * step  # each robot's free joint x: 3.5 m over the clip
        model.joint_q.assign(joint_q)
        newton.eval_fk(model, model.joint_q, model.joint_qd, state)
        recorder.step()
    assert recorder.close(timeout=300) == []
    centroids = robot_centroids(tmp_path / "clip_0000.mp4")
    assert len(centroids) == 30 and all(x >= 0 for x, _ in centroids), centroids
    xs, ys = np.array(centroids).T
    # The robot travels 3.5 m; the followed view keeps it to within a pixel (H.264 edges aside).
    assert np.ptp(xs) < 1.5 and np.ptp(ys) < 1.5, centroids
