"""Python and the farm's Swift reader/writer agree on FARMRLT1, body for body."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

from renderfarm.rollout import read_rollout, write_rollout, RolloutWriter
from test_rollout import every_shape_scene, random_body_q


def test_swift_reads_what_python_wrote_body_for_body(tmp_path: Path, inspect_rollout) -> None:
    scene, rows = every_shape_scene(), random_body_q(12, 3, seed=3)
    write_rollout(tmp_path / "oneshot.rlt", scene, rows.astype(np.float64), step_dt=1 / 60, first_step=5,
                  camera_track=[((-1.5, 2, 3), (0, 0, 0.5))] * 12)
    with RolloutWriter(tmp_path / "streamed.rlt", scene, step_dt=1 / 60, first_step=5) as writer:
        writer.extend(rows)
    for name in ("oneshot.rlt", "streamed.rlt"):
        seen = inspect_rollout(tmp_path / name)
        header = seen["header"]
        assert (header["first_step"], header["steps"], header["num_bodies"]) == (5, 12, 3)
        np.testing.assert_array_equal(np.array(seen["body_q"], dtype=np.float32), read_rollout(tmp_path / name).body_q)
        np.testing.assert_allclose(np.array(seen["body_q"]), rows, atol=1e-6)
        assert [s["type"] for s in header["shapes"]] == [s.type for s in scene.shapes]
        for swift_shape, shape in zip(header["shapes"], scene.shapes):
            expected = shape.to_json()
            for key, value in expected.items():
                if key == "type":
                    continue
                np.testing.assert_allclose(np.array(swift_shape[key], dtype=float), np.array(value, dtype=float),
                                           rtol=1e-12, err_msg=f"{name}: {shape.type}.{key}")
        np.testing.assert_array_equal(np.array(seen["meshes"][0]["vertices"], dtype=np.float32).reshape(-1, 3),
                                      scene.meshes[0].vertices)
        np.testing.assert_array_equal(np.array(seen["meshes"][0]["indices"]), scene.meshes[0].indices.reshape(-1))
    assert seen["header"]["viewer"]["eye"] == [-1.6, 3.6, 2.8]


def test_python_reads_what_farmctl_rollout_wrote_body_for_body(tmp_path: Path, farm_bin: Path, inspect_rollout) -> None:
    out = tmp_path / "cartpole.rlt"
    subprocess.run([str(farm_bin / "farmctl"), "rollout", "--builtin", "cartpole", "--steps", "30", "--num_envs", "4",
                    "--out", str(out)], check=True, capture_output=True, timeout=120)
    rollout = read_rollout(out)
    seen = inspect_rollout(out)
    np.testing.assert_array_equal(rollout.body_q, np.array(seen["body_q"], dtype=np.float32))
    header = seen["header"]
    assert (rollout.steps, rollout.num_bodies, rollout.num_envs, rollout.step_dt) == (
        header["steps"], header["num_bodies"], header["num_envs"], header["step_dt"])
    assert [shape.to_json() for shape in rollout.shapes] == header["shapes"]
    # Rows are Isaac Lab cartpoles on the env grid: 4 envs, their poses finite unit-quaternion rows.
    assert rollout.num_envs == 4 and rollout.num_bodies % 4 == 0
    np.testing.assert_allclose(np.linalg.norm(rollout.body_q[..., 3:], axis=-1), 1, atol=1e-5)
