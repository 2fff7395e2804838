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

from renderfarm.client import submit_body
from renderfarm.isaaclab import (IsaacLabTrigger, backend_inputs, camera_config, camera_fields, job_camera_fields,
                                 live_backend_inputs, parse_source, recorder_stream, run_job_fields, submit_streams,
                                 viewer)
from renderfarm.rollout import Viewer

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
    assert job_camera_fields(default) == {"width": 1280, "height": 720, "eye": [7.5, 7.5, 7.5],
                                          "lookat": [0.0, 0.0, 0.0]}
    cartpole = ViewerCfg(eye=(8.0, 0.0, 5.0), resolution=(640, 360))
    assert job_camera_fields(cartpole)["eye"] == [8.0, 0.0, 5.0] and job_camera_fields(cartpole)["width"] == 640
    per_env = ViewerCfg(eye=(-1.6, 3.6, 2.8), origin_type="env")
    assert job_camera_fields(per_env) == {"width": 1280, "height": 720}, "only world-origin viewers set the job's camera"
    assert viewer(per_env).origin_type == "env" and viewer(per_env).eye == (-1.6, 3.6, 2.8)


@pytest.mark.parametrize("fields, origin", [
    ({}, {"origin_type": "world"}),
    ({"origin_type": "env", "env_index": 3}, {"origin_type": "env", "env_index": 3}),
    ({"origin_type": "asset_root", "asset_name": "robot"}, {"origin_type": "asset_root", "env_index": 0,
                                                             "asset_name": "robot"}),
    ({"origin_type": "asset_body", "env_index": 2, "asset_name": "robot", "body_name": "panda_hand"},
     {"origin_type": "asset_body", "env_index": 2, "asset_name": "robot", "body_name": "panda_hand"}),
    ({"origin_type": "world", "env_index": 5, "asset_name": "robot"}, {"origin_type": "world"}),
])
def test_a_streams_camera_follows_the_viewer_cfgs_origin(fields, origin):
    cfg = ViewerCfg(eye=(-1.6, 3.6, 2.8), lookat=(0.0, 0.0, 0.5), resolution=(320, 240), **fields)
    assert camera_fields(cfg) == {"width": 320, "height": 240, "eye": [-1.6, 3.6, 2.8], "lookat": [0.0, 0.0, 0.5],
                                  **origin}


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


def test_output_dir_layout_names_the_run(tmp_path):
    layout = tmp_path / "logs" / "rsl_rl" / "Isaac-Cartpole-v0" / "2026-01-01_00-00-00" / "videos" / "train"
    assert run_job_fields(layout, "Isaac-Cartpole-v0") == {
        "workflow": "rsl_rl", "task": "Isaac-Cartpole-v0", "run": "2026-01-01_00-00-00"}
    assert run_job_fields(tmp_path / "clips", "T")["workflow"] == "renderfarm"
    # The coordinator files into videos/train: a play or side-by-side folder gets its own run, fetched into.
    assert run_job_fields(layout.parent / "play", "T") == {
        "workflow": "renderfarm", "task": "Isaac-Cartpole-v0", "run": "2026-01-01_00-00-00-play"}


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


def train_dir(logs_root, task="Isaac-Cartpole-v0", run="2026-11-29_14-00-00"):
    """Where Isaac Lab's RL scripts put a run's training clips under ``logs_root``."""
    return logs_root / "rsl_rl" / task / run / "videos" / "train"


class NewtonAnt:
    """A real Newton 1.8 model (gymnasium's ant.xml) and an env holding the attributes Isaac Lab 3
    gives it (no Isaac Sim here); ``drive`` moves its joints and steps a recorder."""

    def __init__(self):
        import os
        import re

        import gymnasium
        import newton

        xml = open(os.path.join(os.path.dirname(gymnasium.__file__), "envs/mujoco/assets/ant.xml")).read()
        builder = newton.ModelBuilder()
        builder.add_mjcf(re.sub(r'\s*solver="PGS"', "", xml))
        self.model = builder.finalize(device="cpu")
        self.state = self.model.state()

        class NewtonManager:
            pass

        self.env = types.SimpleNamespace(
            sim=types.SimpleNamespace(physics_manager=NewtonManager, visualizers=[]),
            scene=types.SimpleNamespace(sensors={}),
            cfg=types.SimpleNamespace(viewer=ViewerCfg(eye=(-2.0, -3.0, 2.0), lookat=(0.0, 0.0, 0.5),
                                                       resolution=(160, 120))),
            metadata={"render_fps": 30}, step_dt=1 / 30)

    def recorder(self, cfg, endpoint, **options):
        from renderfarm.isaaclab import FarmVideoRecorder

        return FarmVideoRecorder(cfg, self.env, task="Ant-Newton", endpoint=endpoint, newton_model=self.model,
                                 newton_state=lambda: self.state, **options)

    def drive(self, recorder, steps: int) -> None:
        import newton

        joint_q = self.model.joint_q.numpy()
        for step in range(steps):
            joint_q[7:] = 0.5 * np.sin(0.4 * step)
            self.model.joint_q.assign(joint_q)
            newton.eval_fk(self.model, self.model.joint_q, self.model.joint_qd, self.state)
            recorder.step()


def test_farm_video_recorder_renders_a_newton_model_with_isaac_labs_clip_names(local_farm, tmp_path):
    """FarmVideoRecorder on a real Newton model through a real farm."""
    import os

    from frames import ffprobe_frames, probe

    ant = NewtonAnt()
    (tmp_path / "clip_0003.mp4").write_bytes(b"an earlier run's clip")
    cfg = VideoRecorderCfg(output_dir=str(tmp_path), video_length=6, video_interval=8, frame_stride=2)
    landed = []
    recorder = ant.recorder(cfg, local_farm.client_endpoint, on_clip=lambda *clip: landed.append(clip))
    ant.drive(recorder, 12)
    assert recorder.close(timeout=120) == []
    assert sorted((os.path.basename(p), first, frames) for p, first, frames in landed) == [
        ("clip_0004.mp4", 2, 3), ("clip_0005.mp4", 10, 2)]
    assert ffprobe_frames(tmp_path / "clip_0004.mp4") == (3, 160, 120)
    assert ffprobe_frames(tmp_path / "clip_0005.mp4") == (2, 160, 120)
    # The farm plays them as Isaac Lab 3 does: the env's render_fps (30) over frame_stride (2).
    assert probe(tmp_path / "clip_0004.mp4")["fps"] == "15/1"


@pytest.mark.parametrize("filed", [False, True], ids=["fetched", "filed"])
def test_farm_video_recorder_keep_last_n_clips_keeps_the_newest(local_farm, tmp_path, filed):
    """Isaac Lab 3's keep_last_n_clips through the farm, both where the coordinator files the clips
    into the output folder itself (it lies under its logs root) and where they are fetched into it."""
    import os

    from frames import ffprobe_frames

    ant = NewtonAnt()
    folder = train_dir(local_farm.logs_root, "Ant-Newton", "keep") if filed else tmp_path / "videos"
    folder.mkdir(parents=True)
    for name in ("ant_0003.mp4", "clip_0000.mp4"):
        (folder / name).write_bytes(b"an earlier run's clip")
    cfg = VideoRecorderCfg(output_dir=str(folder), output_filename_prefix="ant", video_length=2, video_interval=3,
                           keep_last_n_clips=2)
    recorder = ant.recorder(cfg, local_farm.client_endpoint)
    ant.drive(recorder, 12)
    assert recorder.close(timeout=120) == []
    assert sorted(os.listdir(folder)) == ["ant_0006.mp4", "ant_0007.mp4", "clip_0000.mp4"]
    for name in ("ant_0006.mp4", "ant_0007.mp4"):
        assert ffprobe_frames(folder / name) == (2, 160, 120)
    courier = recorder.courier
    assert sorted([os.path.basename(clip.path) for clip in courier.landed] + courier.superseded) == [
        "ant_0004.mp4", "ant_0005.mp4", "ant_0006.mp4", "ant_0007.mp4"]
    assert {clip.fetched for clip in courier.landed} == {not filed}


# Several VideoRecorderCfgs as one job's streams (Isaac Lab 3 records one stream per cfg).

INPUTS = {"presets": [], "physics": "NewtonManager", "renderer_types": [], "visualizers": ["newton"],
          "backend_source": "visualizer"}


@pytest.mark.parametrize("fields, expected", [
    ({}, {"prefix": "clip", "output": "rgb", "video_length": 200, "video_interval": 0, "step_offset": 0,
          "frame_stride": 1}),
    ({"source": "visualizer:kit", "output_filename_prefix": "viewport", "video_length": 50, "video_interval": 1000,
      "step_offset": 10, "frame_stride": 2, "fps": 24, "keep_last_n_clips": 3},
     {"prefix": "viewport", "output": "rgb", "video_length": 50, "video_interval": 1000, "step_offset": 10,
      "frame_stride": 2, "fps": 24, "keep_last_n_clips": 3}),
    ({"source": "sensor:wrist_cam", "output_filename_prefix": "wrist"}, {"prefix": "wrist", "output": "rgb"}),
    ({"source": "sensor:wrist_cam:DEPTH", "depth_colormap_min": 0.3, "depth_colormap_max": 2.5},
     {"output": "depth", "depth_colormap_min": 0.3, "depth_colormap_max": 2.5}),
    ({"source": "sensor:tiled_camera:normals", "depth_colormap_max": 2.5}, {"output": "normals"}),
    ({"source": "sensor:tiled_camera:segmentation"}, {"output": "segmentation"}),
])
def test_a_video_recorder_cfg_becomes_a_stream(fields, expected):
    stream = recorder_stream(VideoRecorderCfg(**fields), inputs=INPUTS).to_wire()
    assert {key: stream[key] for key in expected} == expected
    assert stream["backend_inputs"] == INPUTS
    if stream["output"] != "depth":
        assert "depth_colormap_min" not in stream and "depth_colormap_max" not in stream, "the farm refuses them"
    assert "eye" not in stream and "width" not in stream, "no camera given: the farm's default camera"


@pytest.mark.parametrize("source, message", [
    ("camera:front", "kind 'camera' is unknown"),
    ("sensor", "names no sensor"),
    ("sensor:wrist_cam:albedo", "sensor channel 'albedo' is unknown"),
])
def test_sources_isaac_lab_would_refuse_are_refused(source, message):
    with pytest.raises(ValueError, match=message):
        parse_source(source)


def test_a_cfg_isaac_lab_would_refuse_is_refused_before_sending():
    with pytest.raises(ValueError, match="video_length=0"):
        recorder_stream(VideoRecorderCfg(video_length=0), inputs=INPUTS)


class SubmitRecorder:
    """Records what submit_streams hands FarmClient.submit, and answers as the coordinator would."""

    def __init__(self):
        self.body = None

    def submit(self, rollout, **job):
        self.body = submit_body(**job)
        return {"id": "1"}


def test_submit_streams_sends_one_stream_per_cfg_with_its_camera(tmp_path):
    folder = str(train_dir(tmp_path / "logs"))
    cfgs = [VideoRecorderCfg(source="visualizer:newton", output_dir=folder, output_filename_prefix="viewport",
                             video_length=20, video_interval=50, keep_last_n_clips=2),
            VideoRecorderCfg(source="sensor:wrist_cam:depth", output_dir=folder, output_filename_prefix="wrist",
                             video_length=10, video_interval=100, frame_stride=2),
            VideoRecorderCfg(source="sensor:front_cam", output_dir=folder, output_filename_prefix="front")]
    viewport = ViewerCfg(eye=(8.0, 0.0, 5.0), resolution=(640, 360))
    wrist = ViewerCfg(eye=(0.1, 0.0, 0.05), lookat=(0.3, 0.0, 0.0), origin_type="asset_body", asset_name="robot",
                      body_name="panda_hand", resolution=(160, 120))
    client = SubmitRecorder()
    submit_streams(client, b"rollout", cfgs, task="Isaac-Cartpole-v0", viewer_cfg=viewport,
                   sensor_cameras={"wrist_cam": wrist}, physics_name="NewtonManager", renderer_types=["newton_warp"],
                   visualizer_types=["newton_gl"], render_fps=60, max_retries=1)
    body = client.body
    assert {key: body[key] for key in ("workflow", "task", "run", "schedule", "render_fps", "max_retries")} == {
        "workflow": "rsl_rl", "task": "Isaac-Cartpole-v0", "run": "2026-11-29_14-00-00", "schedule": "isaaclab",
        "render_fps": 60, "max_retries": 1}
    viewport_stream, wrist_stream, front_stream = body["streams"]
    assert viewport_stream == {
        "prefix": "viewport", "video_length": 20, "video_interval": 50, "step_offset": 0, "frame_stride": 1,
        "output": "rgb", "keep_last_n_clips": 2, "width": 640, "height": 360, "eye": [8.0, 0.0, 5.0],
        "lookat": [0.0, 0.0, 0.0], "origin_type": "world",
        "backend_inputs": {"presets": [], "physics": "NewtonManager", "renderer_types": ["newton_warp"],
                           "visualizers": ["newton"], "backend_source": "visualizer"}}
    assert wrist_stream["output"] == "depth" and wrist_stream["frame_stride"] == 2
    assert (wrist_stream["depth_colormap_min"], wrist_stream["depth_colormap_max"]) == (0.1, 10.0)
    origin_fields = ("origin_type", "env_index", "asset_name", "body_name", "eye", "width")
    assert {key: wrist_stream[key] for key in origin_fields} == {
        "origin_type": "asset_body", "env_index": 0, "asset_name": "robot", "body_name": "panda_hand",
        "eye": [0.1, 0.0, 0.05], "width": 160}
    assert wrist_stream["backend_inputs"]["backend_source"] == "renderer"
    # A sensor without a camera of its own records from the viewer's camera.
    assert {key: front_stream[key] for key in ("eye", "width", "origin_type")} == {
        "eye": [8.0, 0.0, 5.0], "width": 640, "origin_type": "world"}


def test_submit_streams_needs_one_run_folder(tmp_path):
    cfgs = [VideoRecorderCfg(output_dir=str(tmp_path / "a"), output_filename_prefix="a"),
            VideoRecorderCfg(output_dir=str(tmp_path / "b"), output_filename_prefix="b")]
    with pytest.raises(ValueError, match="do not name one run folder"):
        submit_streams(SubmitRecorder(), b"", cfgs, task="T")
    client = SubmitRecorder()
    submit_streams(client, b"", cfgs, task="T", workflow="skrl", run="mine")
    assert (client.body["workflow"], client.body["run"]) == ("skrl", "mine")
    with pytest.raises(ValueError, match="prefix 'clip' is used by streams"):
        submit_streams(client, b"", [VideoRecorderCfg(), VideoRecorderCfg()], task="T", workflow="w", run="r")


def test_two_recorder_cfgs_file_side_by_side_keeping_the_last_n(local_farm, tmp_path):
    """Two VideoRecorderCfgs of one rollout as one job on a real farm: Isaac Lab 3's names side by
    side in one videos/train, each prefix numbered on after its own existing clips, the viewport's
    superseded clips gone and noted on the job record. An earlier run's file of the prefix stays:
    the farm deletes only clips it filed (Isaac Lab would delete it too)."""
    import os
    import subprocess

    from conftest import bin_directory
    from frames import ffprobe_frames
    from renderfarm.client import FarmClient

    rollout = tmp_path / "cartpole.rlt"
    subprocess.run([str(bin_directory() / "farmctl"), "rollout", "--builtin", "cartpole", "--steps", "60",
                    "--num_envs", "2", "--out", str(rollout)], check=True, capture_output=True)
    folder = train_dir(local_farm.logs_root, run="two-streams")
    folder.mkdir(parents=True)
    for name in ("viewport_0003.mp4", "wrist_0001.mp4", "notes.txt"):
        (folder / name).write_bytes(b"an earlier run's file")
    cfgs = [VideoRecorderCfg(source="visualizer:newton", output_dir=str(folder), output_filename_prefix="viewport",
                             video_length=10, video_interval=20, keep_last_n_clips=2),
            VideoRecorderCfg(source="sensor:wrist_cam", output_dir=str(folder), output_filename_prefix="wrist",
                             video_length=8, video_interval=30, frame_stride=2)]
    with FarmClient(local_farm.client_endpoint, timeout=30) as client:
        job = submit_streams(client, rollout, cfgs, task="Isaac-Cartpole-v0",
                             viewer_cfg=ViewerCfg(eye=(8.0, 0.0, 5.0), resolution=(160, 96)),
                             sensor_cameras={"wrist_cam": ViewerCfg(eye=(1.5, -1.5, 1.0), lookat=(0.0, 0.0, 0.5),
                                                                    resolution=(96, 64))},
                             presets=["newton_mjwarp"], visualizer_types=["newton_gl"], render_fps=60)
        assert [stream["prefix"] for stream in job["streams"]] == ["viewport", "wrist"]
        final = client.wait(job["id"], timeout=300)
    assert final["state"] == "completed", final
    assert final["video_dir"] == str(folder)
    assert sorted(os.listdir(folder)) == ["notes.txt", "viewport_0003.mp4", "viewport_0005.mp4", "viewport_0006.mp4",
                                          "wrist_0001.mp4", "wrist_0002.mp4", "wrist_0003.mp4"]
    clips = {clip["file"]: clip for clip in final["clips"]}
    assert {file: clip["stream"] for file, clip in clips.items()} == {
        "viewport_0004.mp4": 0, "viewport_0005.mp4": 0, "viewport_0006.mp4": 0, "wrist_0002.mp4": 1,
        "wrist_0003.mp4": 1}
    assert all(clip["state"] == "done" for clip in clips.values())
    assert "keep_last_n_clips" in clips["viewport_0004.mp4"]["removed"]
    assert [file for file, clip in clips.items() if clip.get("removed")] == ["viewport_0004.mp4"]
    # render_fps 60 over each stream's frame_stride, as Isaac Lab 3's recorder plays them.
    assert [(s["width"], s["height"], s["fps"], s.get("keep_last_n_clips")) for s in final["streams"]] == [
        (160, 96, {"numerator": 60, "denominator": 1}, 2), (96, 64, {"numerator": 30, "denominator": 1}, None)]
    for name in ("viewport_0005.mp4", "viewport_0006.mp4"):
        assert ffprobe_frames(folder / name) == (10, 160, 96)
    for name in ("wrist_0002.mp4", "wrist_0003.mp4"):
        assert ffprobe_frames(folder / name) == (4, 96, 64)


def test_the_newton_gl_visualizers_lens_and_sky_reach_the_rollout_viewer():
    """Isaac Lab 3's NewtonGLVisualizerCfg: its 12 mm focal length over USD's 15.2908 mm vertical
    aperture is a 65.00° vertical field of view; without a background colour its sky colours apply."""
    newton_cfg = pytest.importorskip("isaaclab_visualizers.newton.newton_visualizer_cfg",
                                     reason="Isaac Lab's visualizer configs do not import here")
    cfg = newton_cfg.NewtonGLVisualizerCfg(eye=(8.0, 0.0, 5.0))
    view, size = camera_config(cfg)
    assert size == (1920, 1080)
    assert view.vertical_fov == pytest.approx(65.0038, abs=1e-4)
    assert (view.sky_upper_color, view.sky_lower_color, view.background_color) == ((0.2, 0.4, 0.6), (0.5, 0.6, 0.7), None)
    flat = camera_config(newton_cfg.NewtonGLVisualizerCfg(background_color=(0.3, 0.55, 0.82)))[0]
    assert (flat.background_color, flat.sky_upper_color) == ((0.3, 0.55, 0.82), None)
    assert Viewer.from_json(view.to_json()) == view


@pytest.mark.parametrize(("headless", "display", "windowless"), [
    (True, ":0", True), (False, None, True), (False, ":0", False), (True, None, True)])
def test_a_visualizer_without_a_window_is_one_that_only_records(monkeypatch, headless, display, windowless):
    from renderfarm.isaaclab.live import renders_without_window

    if display is None:
        monkeypatch.delenv("DISPLAY", raising=False)
    else:
        monkeypatch.setenv("DISPLAY", display)
    assert renders_without_window(types.SimpleNamespace(headless=headless)) is windowless


def test_compare_mode_files_the_farms_clips_beside_isaac_labs(tmp_path):
    from renderfarm.isaaclab.live import farm_output_dir

    train = tmp_path / "logs" / "rsl_rl" / "cartpole" / "run" / "videos" / "train"
    assert farm_output_dir(train, compare=False) == train
    assert farm_output_dir(train, compare=True) == train.parent / "farm"
