"""renderfarm.rollout: round trips, refusals, numpy conversions and the streaming writer."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from conftest import assert_same_shapes

from renderfarm.rollout import (Mesh, RolloutError, RolloutFile, RolloutWriter, Scene, Shape, Viewer,
                                decode_rollout, encode_rollout, read_rollout, write_rollout)


def every_shape_scene() -> Scene:
    tetra = Mesh(np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], dtype=np.float64),
                 np.array([[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]]))
    shapes = [
        Shape.plane(20.0, 10.0, color=(0.2, 0.3, 0.4)),
        Shape.box((0.1, 0.2, 0.3), body=0, color=(1.0, 0.0, 0.0)),
        Shape.sphere(0.25, body=0, transform=(0.1, 0, 0, 0, 0, 0, 1)),
        Shape.capsule(0.05, 0.2, body=1),
        Shape.cylinder(0.05, 0.2, body=1),
        Shape.cone(0.1, 0.15, body=2),
        Shape.ellipsoid((0.1, 0.2, 0.3), body=2),
        Shape.mesh_instance(0, scale=(2, 2, 2), body=2),
        Shape.plane(),
    ]
    return Scene(shapes, num_bodies=3, meshes=[tetra], num_envs=1, env_spacing=0.0,
                 viewer=Viewer((-1.6, 3.6, 2.8), (0, 0, 0.5)))


def random_body_q(steps: int, bodies: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    rows = rng.normal(size=(steps, bodies, 7))
    rows[..., 3:] /= np.linalg.norm(rows[..., 3:], axis=-1, keepdims=True)
    return rows.astype(np.float32)


def test_round_trip_keeps_every_shape_mesh_and_row(tmp_path: Path) -> None:
    scene = every_shape_scene()
    rows = random_body_q(6, 3)
    track = [((i, 1, 2), (0, 0, 0)) for i in range(6)]
    write_rollout(tmp_path / "r.rlt", scene, rows, step_dt=1 / 60, first_step=100, camera_track=track)
    rollout = read_rollout(tmp_path / "r.rlt")
    assert_same_shapes(rollout.shapes, scene.shapes)
    assert rollout.meshes == scene.meshes
    assert rollout.viewer == scene.viewer
    assert (rollout.first_step, rollout.steps, rollout.step_dt) == (100, 6, 1 / 60)
    assert rollout.camera_track[3] == {"eye": [3.0, 1.0, 2.0], "lookat": [0.0, 0.0, 0.0]}
    assert rollout.body_q.dtype == np.float32 and rollout.body_q.shape == (6, 3, 7)
    np.testing.assert_allclose(rollout.body_q, rows, atol=1e-6)
    assert_same_shapes(decode_rollout((tmp_path / "r.rlt").read_bytes()).shapes, scene.shapes)
    assert os.listdir(tmp_path) == ["r.rlt"]


def test_reads_a_range_of_steps_without_the_rest(tmp_path: Path) -> None:
    rows = random_body_q(50, 3)
    write_rollout(tmp_path / "r.rlt", every_shape_scene(), rows, step_dt=0.02, first_step=10)
    file = RolloutFile(tmp_path / "r.rlt")
    np.testing.assert_allclose(file.body_q(30, 35), rows[20:25], atol=1e-6)
    assert file.read(55, 60).first_step == 55
    with pytest.raises(RolloutError, match="holds env steps 10..59"):
        file.body_q(5, 12)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.longdouble, np.int64])
def test_any_real_dtype_is_converted_to_float32(dtype) -> None:
    rows = np.zeros((2, 3, 7), dtype=dtype)
    rows[..., 6] = 1
    rows[..., 0] = 3
    rollout = decode_rollout(encode_rollout(every_shape_scene(), rows, step_dt=0.5))
    assert rollout.body_q.dtype == np.float32
    assert (rollout.body_q[..., 0] == 3).all()


def test_numpy_scalars_make_a_json_safe_header() -> None:
    scene = Scene([Shape.sphere(np.float32(0.5), body=np.int64(0), color=np.array([0.5, 0.5, 0.5], np.float32))],
                  num_bodies=np.int32(1), num_envs=np.int64(1), env_spacing=np.float32(2.5))
    rows = np.zeros((1, 1, 7))
    rows[..., 6] = 1
    rollout = decode_rollout(encode_rollout(scene, rows, step_dt=np.float64(1 / 30), first_step=np.uint64(7)))
    assert (rollout.first_step, rollout.env_spacing, rollout.shapes[0].radius) == (7, 2.5, 0.5)


def test_quaternions_are_normalised_in_rows_and_transforms() -> None:
    rows = np.zeros((1, 3, 7))
    rows[0, :, 3:] = [0, 0, 3, 4]
    scene = Scene([Shape.box((1, 1, 1), body=0, transform=(0, 0, 0, 0, 0, 0, 5))], num_bodies=3)
    rollout = decode_rollout(encode_rollout(scene, rows, step_dt=1))
    np.testing.assert_allclose(rollout.body_q[0, :, 3:], [[0, 0, 0.6, 0.8]] * 3, atol=1e-7)
    assert rollout.shapes[0].transform[3:] == (0, 0, 0, 1)


def _bad_rows(change) -> np.ndarray:
    rows = np.zeros((4, 3, 7))
    rows[..., 6] = 1
    change(rows)
    return rows


@pytest.mark.parametrize("rows, field, step, body, component, message", [
    (_bad_rows(lambda r: r.__setitem__((2, 1, slice(3, 7)), 0)), "body_q", 12, 1, None, "zero quaternion"),
    (_bad_rows(lambda r: r.__setitem__((1, 2, 0), np.nan)), "body_q", 11, 2, "px", "finite"),
    (_bad_rows(lambda r: r.__setitem__((3, 0, 5), np.inf)), "body_q", 13, 0, "qz", "finite"),
    (_bad_rows(lambda r: r.__setitem__((0, 1, 2), 1e300)), "body_q", 10, 1, "pz", "finite"),
    (np.zeros((4, 2, 7)), "body_q", None, None, None, r"expected \[steps, 3, 7\]"),
    (np.zeros((4, 3, 4)), "body_q", None, None, None, "px py pz qx qy qz qw"),
    (np.zeros((4, 21)), "body_q", None, None, None, "has shape"),
    (np.zeros((4, 3, 7), dtype=np.complex64), "body_q", None, None, None, "real numbers"),
    (np.array([[["a"] * 7] * 3]), "body_q", None, None, None, "real numbers"),
], ids=["zero-quaternion", "nan", "inf", "float32-overflow", "wrong-bodies", "wrong-pose-width", "flat-rows",
        "complex", "strings"])
def test_bad_rows_are_refused_naming_step_and_body(rows, field, step, body, component, message) -> None:
    with pytest.raises(RolloutError, match=message) as refused:
        encode_rollout(every_shape_scene(), rows, step_dt=0.1, first_step=10)
    error = refused.value
    assert isinstance(error, ValueError)
    assert (error.field, error.step, error.body, error.component) == (field, step, body, component)
    if step is not None:
        assert f"step {step}, body {body}" in str(error)


@pytest.mark.parametrize("make, field, message", [
    (lambda: Shape.box((1, 1, 1), color=(255, 128, 0)), "shape.color", "0..1"),
    (lambda: Shape.box((1, 1, 1), color=(1, 0.5, 0, 1)), "shape.color", "3 numbers"),
    (lambda: Shape.box((1, 1, 1), transform=(0, 0, 0, 0, 0, 0, 0)), "shape.transform", "zero quaternion"),
    (lambda: Shape.box((1, -1, 1)), "shape.half_extents", "positive"),
    (lambda: Shape.sphere(math.nan), "shape.radius", "finite"),
    (lambda: Shape.plane(-1, 2), "shape.size", "full width"),
    (lambda: Shape("torus", radius=1), "shape.type", "not one of"),
    (lambda: Shape("capsule", radius=1), "shape.half_height", "needs half_height"),
    (lambda: Scene([Shape.sphere(1, body=3)], num_bodies=3), "shapes[0].body", "0..2"),
    (lambda: Scene([Shape.mesh_instance(1)], num_bodies=0), "shapes[0].mesh", "1 meshes"[2:]),
    (lambda: Mesh(np.zeros((3, 3)), [[0, 1, 3]]), "mesh.indices", "outside the 3 vertices"),
    (lambda: encode_rollout(Scene([], 0), np.zeros((1, 0, 7)), step_dt=0), "step_dt", "positive"),
    (lambda: encode_rollout(Scene([], 0), np.zeros((1, 0, 7)), step_dt=1, first_step=1.5), "first_step", "integer"),
    (lambda: encode_rollout(Scene([], 0), np.zeros((1, 0, 7)), step_dt=1, camera_track=[]), "camera_track",
     "one per step"),
    (lambda: encode_rollout(Scene([], 0), np.zeros((1, 0, 7)), step_dt=1, camera_track=[{"eye": [1, 2, 3]}]),
     "camera_track[0]", "lookat"),
    (lambda: Viewer((0, 0, 0), (1, 1, 1), "robot"), "viewer.origin_type", "not one of"),
], ids=["colour-0-255", "rgba", "zero-transform-quaternion", "negative-size", "nan-size", "negative-plane",
        "unknown-type", "missing-size", "body-out-of-range", "mesh-out-of-range", "mesh-index", "step-dt",
        "first-step", "camera-track", "camera-track-entry", "origin-type"])
def test_bad_scenes_are_refused_naming_the_field(make, field, message) -> None:
    with pytest.raises(RolloutError, match=message) as refused:
        make()
    assert refused.value.field == field


@pytest.mark.parametrize("corrupt, field", [
    (lambda b: b"FARMRLT2" + b[8:], "magic"),
    (lambda b: b[:-4], "size"),
    (lambda b: b + b"\0" * 4, "size"),
    (lambda b: b[:8] + (0).to_bytes(8, "little") + b[16:], "header length (bytes 8..15)"),
    (lambda b: b[:16] + b"[" + b[17:], "header"),
], ids=["magic", "truncated", "trailing-bytes", "zero-header-length", "not-json"])
def test_corrupt_files_are_refused(corrupt, field) -> None:
    good = encode_rollout(every_shape_scene(), random_body_q(2, 3), step_dt=0.1)
    with pytest.raises(RolloutError) as refused:
        decode_rollout(corrupt(good))
    assert refused.value.field == field


def test_nan_rows_in_a_file_are_refused_when_read(tmp_path: Path) -> None:
    data = bytearray(encode_rollout(every_shape_scene(), random_body_q(3, 3), step_dt=0.1, first_step=4))
    body_offset = 16 + int.from_bytes(data[8:16], "little")
    data[body_offset + (1 * 3 + 2) * 28 + 4:body_offset + (1 * 3 + 2) * 28 + 8] = np.float32(np.nan).tobytes()
    (tmp_path / "r.rlt").write_bytes(bytes(data))
    with pytest.raises(RolloutError) as refused:
        read_rollout(tmp_path / "r.rlt")
    assert (refused.value.step, refused.value.body, refused.value.component) == (5, 2, "py")


def test_streaming_writer_matches_the_one_shot_writer(tmp_path: Path) -> None:
    scene, rows = every_shape_scene(), random_body_q(40, 3)
    with RolloutWriter(tmp_path / "s.rlt", scene, step_dt=0.05, first_step=7) as writer:
        writer.append(rows[0])
        writer.extend(rows[1:30])
        for step in rows[30:]:
            writer.append(step.astype(np.float64))
        assert not (tmp_path / "s.rlt").exists()
    streamed = read_rollout(tmp_path / "s.rlt")
    one_shot = decode_rollout(encode_rollout(scene, rows, step_dt=0.05, first_step=7))
    np.testing.assert_array_equal(streamed.body_q, one_shot.body_q)
    assert (streamed.shapes, streamed.meshes, streamed.first_step) == (one_shot.shapes, one_shot.meshes, 7)
    assert os.listdir(tmp_path) == ["s.rlt"]


def test_streaming_writer_with_a_camera_per_step_grows_its_header(tmp_path: Path) -> None:
    rows = random_body_q(300, 3)
    with RolloutWriter(tmp_path / "s.rlt", every_shape_scene(), step_dt=0.05) as writer:
        for i, step in enumerate(rows):
            writer.append(step, camera=((-float(i), 2.0, 3.0), (0.0, 0.0, 0.0)))
    rollout = read_rollout(tmp_path / "s.rlt")
    np.testing.assert_allclose(rollout.body_q, rows, atol=1e-6)
    assert rollout.camera_track[299]["eye"] == [-299.0, 2.0, 3.0]
    assert os.listdir(tmp_path) == ["s.rlt"]


def test_streaming_writer_refuses_a_bad_step_and_leaves_no_file(tmp_path: Path) -> None:
    rows = random_body_q(5, 3)
    rows[3, 1, 3:] = 0
    with pytest.raises(RolloutError) as refused:
        with RolloutWriter(tmp_path / "s.rlt", every_shape_scene(), step_dt=0.05, first_step=20) as writer:
            for step in rows:
                writer.append(step)
    assert (refused.value.step, refused.value.body) == (23, 1)
    assert os.listdir(tmp_path) == []


def test_closing_a_writer_without_steps_is_refused(tmp_path: Path) -> None:
    writer = RolloutWriter(tmp_path / "s.rlt", every_shape_scene(), step_dt=0.05)
    with pytest.raises(RolloutError, match="no steps"):
        writer.close()
    assert os.listdir(tmp_path) == []


def test_a_killed_writer_leaves_no_file_under_the_final_name(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import sys, numpy as np
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_rollout import every_shape_scene, random_body_q
        from renderfarm.rollout import RolloutWriter
        writer = RolloutWriter({str(tmp_path / "s.rlt")!r}, every_shape_scene(), step_dt=0.05)
        writer.extend(random_body_q(100, 3))
        print("written", flush=True)
        sys.stdin.read()
    """)
    process = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == "written"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert not (tmp_path / "s.rlt").exists()
    partial = [name for name in os.listdir(tmp_path)]
    assert len(partial) == 1 and partial[0].startswith(".s.rlt.partial-")


@pytest.mark.parametrize("shape, field", [
    ({"type": "sphere", "body": 0, "radius": -1}, "shapes[1].radius"),
    ({"type": "box", "body": 0}, "shapes[1].half_extents"),
    ({"type": "sphere", "body": 5, "radius": 1}, "shapes[1].body"),
    ({"type": "sphere", "body": 0, "radius": 1, "color": [255, 0, 0]}, "shapes[1].color"),
    ({"type": "torus", "body": 0}, "shapes[1].type"),
], ids=["negative-radius", "missing-size", "body-out-of-range", "colour-0-255", "unknown-type"])
def test_headers_from_other_writers_are_checked_naming_the_shape(shape, field) -> None:
    header = json.dumps({"version": 1, "step_dt": 0.1, "first_step": 0, "steps": 1, "num_bodies": 1,
                         "shapes": [{"type": "sphere", "body": -1, "radius": 1}, shape]}).encode()
    data = b"FARMRLT1" + len(header).to_bytes(8, "little") + header + np.array([0, 0, 0, 0, 0, 0, 1], "<f4").tobytes()
    with pytest.raises(RolloutError) as refused:
        decode_rollout(data)
    assert refused.value.field == field
