"""Isaac Lab 3, live: ``isaaclab train ... --video --external_callback renderfarm.isaaclab.install``
against a real local farm, kit-less on Newton and the CPU, from the venv tools/setup-isaaclab makes
(tools/test passes its path in RENDERFARM_ISAACLAB_VENV). With RENDERFARM_COMPARE=1 Isaac Lab's own
recorder writes ``videos/train`` and the farm ``videos/farm``: the two folders are compared file by
file and frame by frame."""

from __future__ import annotations

import os
import re
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from frames import decode_rgb, luma, mean_abs_diff, probe, ssim
from conftest import CONFIGS, REPO
from renderfarm.farm import LocalFarm, free_endpoint


VENV = os.environ.get("RENDERFARM_ISAACLAB_VENV")
pytestmark = pytest.mark.skipif(not VENV, reason="no Isaac Lab venv: run tools/setup-isaaclab and set "
                                                 "RENDERFARM_ISAACLAB_VENV to the path it prints (tools/test does)")

#: rsl_rl steps every env 16 times an iteration: 10 iterations are 160 env steps, two full 50-step
#: clips (steps 1-50 and 101-150) at an interval of 100.
ITERATIONS, VIDEO_LENGTH, VIDEO_INTERVAL = 10, 50, 100


def isaaclab(command: str, task: str, cwd: Path, endpoint: str, *extra: str, compare: bool = False,
             iterations: int = ITERATIONS) -> subprocess.CompletedProcess:
    """Runs ``isaaclab <command>`` with the one flag, its output kept in ``cwd/isaaclab.log``."""
    env = {**os.environ, "FARM_COORDINATOR": endpoint, "ISAACSIM_ASSET_ROOT": str(Path(VENV) / "assets"),
           "PYTHONPATH": str(REPO / "python"), "RENDERFARM_COMPARE": "1" if compare else "0"}
    env.pop("DISPLAY", None)
    arguments = [str(Path(VENV) / "bin" / "isaaclab"), command, "--rl_library", "rsl_rl", "--task", task,
                 "--num_envs", "16", "--device", "cpu", "--viz", "newton_gl", "--video",
                 "--video_length", str(VIDEO_LENGTH), "--video_interval", str(VIDEO_INTERVAL),
                 "--external_callback", "renderfarm.isaaclab.install", *extra, "agent.device=cpu"]
    if command == "train":
        arguments[-1:-1] = ["--max_iterations", str(iterations)]
    with open(cwd / f"isaaclab-{command}.log", "w") as log:
        result = subprocess.run(arguments, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, timeout=900)
    output = (cwd / f"isaaclab-{command}.log").read_text(errors="replace")
    assert result.returncode == 0, f"isaaclab {command} exited {result.returncode}:\n{output[-4000:]}"
    return subprocess.CompletedProcess(arguments, result.returncode, output, "")


def run_folder(cwd: Path, experiment: str) -> Path:
    runs = sorted((cwd / "logs" / "rsl_rl" / experiment).iterdir())
    assert len(runs) == 1, runs
    return runs[0]


def clips(folder: Path) -> dict[str, dict[str, object]]:
    return {path.name: probe(path) for path in sorted(folder.glob("*.mp4"))}


@pytest.fixture(scope="module")
def farm(tmp_path_factory):
    root = tmp_path_factory.mktemp("isaaclab")
    # The trainer runs in root, so Isaac Lab's logs/ is the farm's logs root: clips are filed in place.
    with LocalFarm(root / "farm", logs_root=root / "logs", config_dir=CONFIGS) as farm:
        farm.cwd = root
        yield farm


@pytest.fixture(scope="module")
def compared(farm):
    """One live training run with Isaac Lab's recorder and the farm's side by side."""
    result = isaaclab("train", "Isaac-Cartpole-Direct", farm.cwd, farm.client_endpoint, compare=True)
    return run_folder(farm.cwd, "cartpole_direct"), result.stdout


def test_the_farm_writes_exactly_the_clips_isaac_lab_writes(compared):
    run, _ = compared
    theirs, ours = clips(run / "videos" / "train"), clips(run / "videos" / "farm")
    assert list(theirs) == ["clip_0000.mp4", "clip_0001.mp4"]
    assert ours == theirs
    assert all(c["frames"] == VIDEO_LENGTH and (c["width"], c["height"]) == (1920, 1080)
               and Fraction(str(c["fps"])) == 60 for c in ours.values())


def test_every_frame_matches_isaac_labs(compared):
    run, _ = compared
    worst: list[tuple[float, float, str, int]] = []
    for name, info in clips(run / "videos" / "train").items():
        size = (int(info["width"]), int(info["height"]))
        theirs = decode_rgb(run / "videos" / "train" / name, *size)
        ours = decode_rgb(run / "videos" / "farm" / name, *size)
        assert len(ours) == len(theirs)
        for index, (a, b) in enumerate(zip(theirs, ours)):
            # Half resolution keeps the SSIM affordable on two cores; both frames are 1080p.
            worst.append((ssim(luma(a[::2, ::2]), luma(b[::2, ::2])), mean_abs_diff(a, b), name, index))
    lowest = min(worst)
    largest = max(worst, key=lambda row: row[1])
    assert lowest[0] >= 0.97, f"lowest luma SSIM {lowest[0]:.4f} ({lowest[2]} frame {lowest[3]})"
    assert largest[1] <= 4, f"largest mean |RGB| difference {largest[1]:.2f} ({largest[2]} frame {largest[3]})"


def test_farm_mode_renders_nothing_in_the_trainer_and_files_isaac_labs_names(farm):
    """The manager-based Cartpole through the farm alone: the headless GL visualizer is never made
    (NewtonVisualizer announces itself when it is), the clips land in videos/train."""
    cwd = farm.cwd / "manager"
    cwd.mkdir()
    with LocalFarm(cwd / "farm", logs_root=cwd / "logs", config_dir=CONFIGS) as endpoint_farm:
        result = isaaclab("train", "Isaac-Cartpole", cwd, endpoint_farm.client_endpoint)
    assert "NewtonVisualizer" not in result.stdout
    folder = run_folder(cwd, "cartpole") / "videos" / "train"
    found = clips(folder)
    assert list(found) == ["clip_0000.mp4", "clip_0001.mp4"]
    assert all(c["frames"] == VIDEO_LENGTH and (c["width"], c["height"]) == (1920, 1080) for c in found.values())
    # The carts and poles are there: with no visualizer the sim still loaded the visual shapes.
    frame = decode_rgb(folder / "clip_0000.mp4", 1920, 1080)[VIDEO_LENGTH // 2]
    rail_rows = luma(frame[540:1080:4, ::4]).std(axis=1)
    assert rail_rows.max() > 20, "no shape stands out of the ground in the lower half"


def test_training_goes_on_when_the_farm_is_unreachable(tmp_path):
    result = isaaclab("train", "Isaac-Cartpole-Direct", tmp_path, free_endpoint(), iterations=4)
    # The farm never named it: the log says which steps it held.
    assert re.search(r"renderfarm: dropped clip clip_\?\.mp4 \(\d+ frames from step \d+\)", result.stdout), result.stdout[-3000:]
    assert not list((run_folder(tmp_path, "cartpole_direct") / "videos").rglob("*.mp4"))


def test_play_records_its_clip_through_the_farm(farm, compared):
    """``isaaclab play`` of the trained checkpoint: Isaac Lab names the clip after it and puts it in
    ``videos/play``, which the coordinator does not file into; the clip is fetched there."""
    run, _ = compared
    isaaclab("play", "Isaac-Cartpole-Direct", farm.cwd, farm.client_endpoint, "--checkpoint", str(run / "model_9.pt"))
    found = clips(run / "videos" / "play")
    assert list(found) == ["clip_model_9_0000.mp4"]
    assert found["clip_model_9_0000.mp4"]["frames"] == VIDEO_LENGTH
