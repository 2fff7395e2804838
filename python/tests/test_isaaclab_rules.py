"""The Isaac Lab rule the trainer's recorder runs itself (``FarmVideoRecorder``: the step trigger, on
the training thread) agrees with the coordinator's schedule: python/tests/fixtures/isaaclab_rules.json
is computed from the Swift implementation (Tests/FarmCoreTests/IsaacLabRuleCasesTests.swift, which
fails when it is stale) and every case must come out the same here. Clip names, keep-last and the
clip's rate are not run here: the recorder asks the coordinator for them (SUBMIT's ``clip_prefix``)."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from renderfarm.isaaclab import IsaacLabTrigger

CASES: dict[str, Any] = json.loads((Path(__file__).parent / "fixtures" / "isaaclab_rules.json").read_text())


def recorded_clips(case: dict[str, Any]) -> list[list[int]]:
    """The clips ``FarmVideoRecorder`` cuts over ``total_steps`` steps, as its trigger's step numbers;
    a clip without frames is none."""
    trigger = IsaacLabTrigger(SimpleNamespace(video_length=case["video_length"], video_interval=case["video_interval"],
                                              step_offset=case["step_offset"], frame_stride=case["frame_stride"]))
    clips: list[list[int]] = []
    frames: list[int] = []

    def close() -> None:
        if frames:
            clips.append(list(frames))
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
