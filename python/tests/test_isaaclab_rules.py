"""The Isaac Lab rules the trainer's recorder runs itself (``FarmVideoRecorder``: the step trigger on
the training thread, clip names and keep-last in the folder it fetches into, the fps of the clips it
cuts) agree with the coordinator's: python/tests/fixtures/isaaclab_rules.json is computed from the
Swift implementations (Tests/FarmCoreTests/IsaacLabRuleCasesTests.swift, which fails when it is
stale) and every case must come out the same here."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from renderfarm.isaaclab import IsaacLabTrigger, clip_file_name, clip_fps, next_clip_index, prune_clips

CASES: dict[str, Any] = json.loads((Path(__file__).parent / "fixtures" / "isaaclab_rules.json").read_text())


def recorded_clips(case: dict[str, Any]) -> list[dict[str, Any]]:
    """The clips ``FarmVideoRecorder`` cuts over ``total_steps`` steps: its trigger's decisions, its
    names numbered on from ``first_clip_index``, a clip without frames taking no name."""
    trigger = IsaacLabTrigger(SimpleNamespace(video_length=case["video_length"], video_interval=case["video_interval"],
                                              step_offset=case["step_offset"], frame_stride=case["frame_stride"]))
    clips: list[dict[str, Any]] = []
    frames: list[int] = []

    def close() -> None:
        if frames:
            clips.append({"file": clip_file_name(case["prefix"], case["first_clip_index"] + len(clips)),
                          "steps": list(frames)})
            frames.clear()

    for _ in range(case["total_steps"]):
        outcome = trigger.step()
        if outcome.close_before:
            close()
        if outcome.capture:
            frames.append(trigger.step_count)
        if outcome.close_after:
            close()
    close()
    return clips


@pytest.mark.parametrize("case", CASES["schedules"], ids=lambda case: json.dumps(
    {key: value for key, value in case.items() if key != "clips"}, sort_keys=True))
def test_the_trainers_trigger_cuts_the_coordinators_clips(case: dict[str, Any]) -> None:
    assert recorded_clips(case) == case["clips"]


@pytest.mark.parametrize("case", CASES["frame_rates"], ids=str)
def test_the_trainers_clip_fps_is_the_coordinators(case: dict[str, Any]) -> None:
    cfg = SimpleNamespace(fps=case.get("fps"), frame_stride=case["frame_stride"])
    assert clip_fps(cfg, render_fps=case.get("render_fps"), step_dt=case.get("step_dt")) == case["resolved"]


@pytest.mark.parametrize("case", CASES["naming"], ids=str)
def test_the_trainers_clip_numbering_is_the_coordinators(case: dict[str, Any], tmp_path: Path) -> None:
    for name in case["names"]:
        (tmp_path / name).touch()
    assert next_clip_index(tmp_path, case["prefix"]) == case["next_index"]
    assert clip_file_name(case["prefix"], case["next_index"]) == case["next_file"]


@pytest.mark.parametrize("case", CASES["keep_last"], ids=str)
def test_the_trainers_keep_last_removes_what_the_coordinator_would(case: dict[str, Any], tmp_path: Path) -> None:
    for name in case["names"]:
        (tmp_path / name).touch()
    removed = prune_clips(tmp_path, case["prefix"], case["count"])
    assert [path.name for path in removed] == case["superseded"]
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(set(case["names"]) - set(case["superseded"]))
