"""renderfarm.isaaclab with Isaac Lab 3.0.0's own ViewerCfg and VideoRecorderCfg.

Isaac Lab's config modules import torch for type aliases only (``isaaclab.utils.array``); where
torch is not installed (it is not in this project's venv: a multi-GB wheel), a bare module named
torch with placeholder classes is registered before the import. Nothing of torch runs here.
"""

from __future__ import annotations

import importlib.util
import sys
import types

import numpy as np
import pytest

from local_farm import local_farm  # noqa: F401 (fixture)
from renderfarm.isaaclab import (IsaacLabTrigger, backend_inputs, camera_fields, clip_fps, live_backend_inputs,
                                 next_clip_index, run_job_fields, viewer)

if importlib.util.find_spec("isaaclab") is None:
    pytest.skip("Isaac Lab 3.0.0's wheel is not installed (tools/setup-python installs it without its dependencies)",
                allow_module_level=True)
if importlib.util.find_spec("torch") is None:
    placeholder = types.ModuleType("torch")
    placeholder.__getattr__ = lambda name: setattr(placeholder, name, type(name, (), {})) or getattr(placeholder, name)
    sys.modules["torch"] = placeholder

from isaaclab.envs.common import ViewerCfg  # noqa: E402
from isaaclab.envs.utils.video_recorder_cfg import VideoRecorderCfg  # noqa: E402


@pytest.mark.parametrize("source, visualizers, expected_visualizers, backend_source", [
    ("visualizer", ["newton_gl", "viser"], ["newton", "viser"], "visualizer"),
    ("visualizer:kit", ["newton_gl", "kit"], ["kit"], "visualizer"),
    ("visualizer:newton", ["newton_gl", "kit"], ["newton"], "visualizer"),
    ("visualizer:newton_gl:streaming_view", ["newton_gl"], ["newton"], "visualizer"),
    ("sensor:tiled_camera:rgb", ["kit"], ["kit"], "renderer"),
])
def test_recorder_source_becomes_backend_inputs(source, visualizers, expected_visualizers, backend_source):
    inputs = backend_inputs(VideoRecorderCfg(source=source), physics_name="NewtonManager",
                            renderer_types=["newton_warp"], visualizer_types=visualizers)
    assert inputs == {"presets": [], "physics": "NewtonManager", "renderer_types": ["newton_warp"],
                      "visualizers": expected_visualizers, "backend_source": backend_source}


def test_a_seed_style_backend_source_passes_through_for_the_farm_to_check():
    cfg = types.SimpleNamespace(source="visualizer", backend_source="camera")
    assert backend_inputs(cfg, physics_name="PhysxManager")["backend_source"] == "camera"


def test_viewer_cfg_defaults_and_origin_types():
    default = ViewerCfg()
    assert viewer(default).to_json() == {"eye": [7.5, 7.5, 7.5], "lookat": [0.0, 0.0, 0.0], "origin_type": "world"}
    assert camera_fields(default) == {"width": 1280, "height": 720, "eye": [7.5, 7.5, 7.5], "lookat": [0.0, 0.0, 0.0]}
    cartpole = ViewerCfg(eye=(8.0, 0.0, 5.0), resolution=(640, 360))
    assert camera_fields(cartpole)["eye"] == [8.0, 0.0, 5.0] and camera_fields(cartpole)["width"] == 640
    per_env = ViewerCfg(eye=(-1.6, 3.6, 2.8), origin_type="env")
    assert camera_fields(per_env) == {"width": 1280, "height": 720}, "only world-origin viewers set the camera"
    assert viewer(per_env).origin_type == "env" and viewer(per_env).eye == (-1.6, 3.6, 2.8)


@pytest.mark.parametrize("fields, render_fps, step_dt, fps", [
    ({}, 60, 1 / 60, 60),
    ({}, None, 1 / 120 * 2, 60),
    ({"frame_stride": 2}, 60, None, 30),
    ({"fps": 24, "frame_stride": 2}, 60, None, 24),
    ({}, None, None, 30),
])
def test_clip_fps_follows_isaac_labs_recorder(fields, render_fps, step_dt, fps):
    assert clip_fps(VideoRecorderCfg(**fields), render_fps=render_fps, step_dt=step_dt) == fps


def run_trigger(cfg, steps):
    """(clip, [captured steps]) per clip, from IsaacLabTrigger's decisions."""
    trigger, clips, current = IsaacLabTrigger(cfg), [], None
    for _ in range(steps):
        outcome = trigger.step()
        if outcome.close_before and current:
            clips.append(current)
            current = None
        if outcome.capture:
            current = (current or []) + [trigger.step_count]
        if outcome.close_after and current:
            clips.append(current)
            current = None
    return clips + ([current] if current else [])


@pytest.mark.parametrize("fields, steps, expected", [
    ({"video_length": 3, "video_interval": 0}, 10, [[1, 2, 3]]),
    ({"video_length": 3, "video_interval": 5}, 12, [[1, 2, 3], [6, 7, 8], [11, 12]]),
    ({"video_length": 4, "video_interval": 2}, 6, [[1, 2], [3, 4], [5, 6]]),
    ({"video_length": 4, "video_interval": 10, "step_offset": 3}, 9, [[4, 5, 6, 7]]),
    ({"video_length": 6, "video_interval": 0, "frame_stride": 2}, 10, [[2, 4, 6]]),
    ({"video_length": 1, "video_interval": 3, "frame_stride": 2}, 7, []),
])
def test_trigger_matches_isaac_lab_3s_recorder(fields, steps, expected):
    assert run_trigger(VideoRecorderCfg(**fields), steps) == expected


def test_clip_numbering_continues_after_existing_clips(tmp_path):
    for name in ("clip_0000.mp4", "clip_0007.mp4", "other_0100.mp4", "clip_12.mp4.part"):
        (tmp_path / name).write_bytes(b"")
    assert next_clip_index(tmp_path, "clip") == 8
    assert next_clip_index(tmp_path, "other") == 101
    assert next_clip_index(tmp_path / "missing", "clip") == 0


def test_output_dir_layout_names_the_run(tmp_path):
    layout = tmp_path / "logs" / "rsl_rl" / "Isaac-Cartpole-v0" / "2026-01-01_00-00-00" / "videos" / "train"
    assert run_job_fields(layout, "Isaac-Cartpole-v0") == {
        "workflow": "rsl_rl", "task": "Isaac-Cartpole-v0", "run": "2026-01-01_00-00-00"}
    assert run_job_fields(tmp_path / "clips", "T")["workflow"] == "renderfarm"


def test_live_env_attributes_are_read_as_isaac_lab_3_lays_them_out():
    class NewtonManager:
        pass

    def cfg(**fields):
        return types.SimpleNamespace(cfg=types.SimpleNamespace(**fields))

    env = types.SimpleNamespace(unwrapped=types.SimpleNamespace(
        sim=types.SimpleNamespace(physics_manager=NewtonManager, visualizers=[cfg(visualizer_type="newton_gl")]),
        scene=types.SimpleNamespace(sensors={"camera": cfg(renderer_cfg=types.SimpleNamespace(renderer_type="newton_warp")),
                                             "contact": cfg()})))
    assert live_backend_inputs(env, VideoRecorderCfg()) == {
        "presets": [], "physics": "NewtonManager", "renderer_types": ["newton_warp"], "visualizers": ["newton"],
        "backend_source": "visualizer"}


def test_farm_video_recorder_renders_a_newton_model_with_isaac_labs_clip_names(local_farm, tmp_path):
    """FarmVideoRecorder on a real Newton 1.8 model (gymnasium's ant.xml) through a real farm, with
    an env holding the attributes Isaac Lab 3 gives it (no Isaac Sim here)."""
    import os
    import re

    import gymnasium
    import newton

    from local_farm import ffprobe_frames
    from renderfarm.isaaclab import FarmVideoRecorder

    xml = open(os.path.join(os.path.dirname(gymnasium.__file__), "envs/mujoco/assets/ant.xml")).read()
    builder = newton.ModelBuilder()
    builder.add_mjcf(re.sub(r'\s*solver="PGS"', "", xml))
    model = builder.finalize(device="cpu")
    state = model.state()

    class NewtonManager:
        pass

    env = types.SimpleNamespace(
        sim=types.SimpleNamespace(physics_manager=NewtonManager, visualizers=[]),
        scene=types.SimpleNamespace(sensors={}),
        cfg=types.SimpleNamespace(viewer=ViewerCfg(eye=(-2.0, -3.0, 2.0), lookat=(0.0, 0.0, 0.5), resolution=(160, 120))),
        metadata={"render_fps": 30}, step_dt=1 / 30)
    (tmp_path / "clip_0003.mp4").write_bytes(b"an earlier run's clip")
    cfg = VideoRecorderCfg(output_dir=str(tmp_path), video_length=6, video_interval=8, frame_stride=2)
    landed = []
    recorder = FarmVideoRecorder(cfg, env, task="Ant-Newton", endpoint=local_farm.client_endpoint,
                                 on_clip=lambda *clip: landed.append(clip), newton_model=model,
                                 newton_state=lambda: state)
    joint_q = model.joint_q.numpy()
    for step in range(12):
        joint_q[7:] = 0.5 * np.sin(0.4 * step)
        model.joint_q.assign(joint_q)
        newton.eval_fk(model, model.joint_q, model.joint_qd, state)
        recorder.step()
    assert recorder.close(timeout=120) == []
    assert sorted((os.path.basename(p), first, frames) for p, first, frames in landed) == [
        ("clip_0004.mp4", 2, 3), ("clip_0005.mp4", 10, 2)]
    assert ffprobe_frames(tmp_path / "clip_0004.mp4") == (3, 160, 120)
    assert ffprobe_frames(tmp_path / "clip_0005.mp4") == (2, 160, 120)
