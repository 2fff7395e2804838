"""SceneEncoder: the scene encoded once, a rollout per call, equal to encode_rollout's, read by the farm."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from renderfarm.rollout import RolloutError, SceneEncoder, decode_rollout, encode_rollout
from test_rollout import every_shape_scene, random_body_q


@pytest.mark.parametrize("first_step, steps", [(0, 1), (5, 12), (1 << 40, 3)])
def test_each_rollout_reads_back_as_encode_rollouts(first_step, steps, tmp_path: Path, inspect_rollout):
    scene, rows = every_shape_scene(), random_body_q(steps, 3, seed=steps)
    encoder = SceneEncoder(scene, step_dt=1 / 60)
    data = encoder.encode(rows, first_step=first_step)
    got, want = decode_rollout(data), decode_rollout(encode_rollout(scene, rows, step_dt=1 / 60, first_step=first_step))
    assert (got.scene, got.step_dt, got.first_step) == (want.scene, want.step_dt, want.first_step)
    np.testing.assert_array_equal(got.body_q, want.body_q)
    (tmp_path / "r.rlt").write_bytes(data)
    header = inspect_rollout(tmp_path / "r.rlt")["header"]
    assert (header["first_step"], header["steps"], header["num_bodies"]) == (first_step, steps, 3)


def test_bad_rows_and_steps_are_refused_as_encode_rollout_refuses_them():
    encoder = SceneEncoder(every_shape_scene(), step_dt=0.05)
    with pytest.raises(RolloutError, match="first_step"):
        encoder.encode(random_body_q(2, 3, seed=0), first_step=-1)
    with pytest.raises(RolloutError, match="at least one step"):
        encoder.encode(np.zeros((0, 3, 7)))
    with pytest.raises(RolloutError, match="shape"):
        encoder.encode(np.zeros((2, 4, 7)))
