"""Assets, env origins and the viewer's origin fields in rollout files (docs/ROLLOUT.md), as the farm reads them."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from renderfarm.rollout import (Asset, RolloutError, RolloutWriter, Scene, Shape, Viewer, decode_rollout,
                                encode_rollout, read_rollout, write_rollout)
from renderfarm.rollout.header import PREAMBLE_BYTES


def origin_scene(**changes) -> Scene:
    """Two envs of four bodies: a three-body robot listed env by env, a one-body ball by stride."""
    fields = dict(
        shapes=[Shape.plane()] + [Shape.sphere(0.1, body=b) for b in range(8)], num_bodies=8, num_envs=2,
        env_spacing=2.0,
        viewer=Viewer((-3, 0, 2), (0, 0, 0), "asset_body", env_index=1, asset_name="robot", body_name="foot"),
        assets=[Asset("robot", ("torso", "thigh", "foot"), [[0, 1, 2], [4, 5, 6]]),
                Asset.strided("ball", ["ball"], [3], env_stride=4)],
        env_origins=[(1, 2, 0), (3, 4, 0.5)])
    fields.update(changes)
    return Scene(**fields)


def identity_rows(steps: int, bodies: int) -> np.ndarray:
    rows = np.zeros((steps, bodies, 7), dtype=np.float32)
    rows[..., 6] = 1
    return rows


def header_of(data: bytes) -> dict:
    length = int.from_bytes(data[8:16], "little")
    return json.loads(data[PREAMBLE_BYTES:PREAMBLE_BYTES + length])


def with_header(data: bytes, edit) -> bytes:
    header = header_of(data)
    edit(header)
    body = data[PREAMBLE_BYTES + int.from_bytes(data[8:16], "little"):]
    encoded = json.dumps(header).encode()
    return data[:8] + len(encoded).to_bytes(8, "little") + encoded + body


def test_origin_fields_round_trip_through_files_and_the_stream_writer(tmp_path: Path) -> None:
    scene = origin_scene()
    write_rollout(tmp_path / "a.rlt", scene, identity_rows(3, 8), step_dt=1 / 60)
    with RolloutWriter(tmp_path / "b.rlt", scene, step_dt=1 / 60) as writer:
        writer.extend(identity_rows(3, 8))
    for name in ("a.rlt", "b.rlt"):
        read = read_rollout(tmp_path / name)
        assert read.scene.assets == scene.assets and read.scene.env_origins == scene.env_origins
        assert read.viewer == scene.viewer
    assert decode_rollout(encode_rollout(scene, identity_rows(1, 8), step_dt=1 / 60)).scene == scene
    robot, ball = scene.asset("robot"), scene.asset("ball")
    assert robot.rows(1) == (4, 5, 6) and ball.rows(1) == (7,) and ball.env_count(2) == 2 and robot.env_count(2) == 2
    with pytest.raises(KeyError, match="'robot', 'ball'"):
        scene.asset("dog")


def test_origin_fields_use_the_documented_names_and_defaults_stay_out() -> None:
    header = header_of(encode_rollout(origin_scene(), identity_rows(1, 8), step_dt=1 / 60))
    assert header["assets"] == [
        {"name": "robot", "body_names": ["torso", "thigh", "foot"], "env_bodies": [[0, 1, 2], [4, 5, 6]]},
        {"name": "ball", "body_names": ["ball"], "env_bodies": [[3]], "env_stride": 4}]
    assert header["env_origins"] == [[1, 2, 0], [3, 4, 0.5]]
    assert header["viewer"] == {"eye": [-3, 0, 2], "lookat": [0, 0, 0], "origin_type": "asset_body", "env_index": 1,
                                "asset_name": "robot", "body_name": "foot"}
    plain = header_of(encode_rollout(origin_scene(assets=[], env_origins=None, viewer=Viewer((1, 1, 1), (0, 0, 0))),
                                     identity_rows(1, 8), step_dt=1 / 60))
    assert "assets" not in plain and "env_origins" not in plain
    assert set(plain["viewer"]) == {"eye", "lookat", "origin_type"}


def test_an_asset_accepts_numpy_rows() -> None:
    rows = np.arange(4096 * 20, dtype=np.int64).reshape(4096, 20)
    asset = Asset("robot", [f"link{k}" for k in range(20)], rows)
    assert asset.env_bodies[4095][19] == 4096 * 20 - 1
    Scene([Shape.plane()], num_bodies=4096 * 20, num_envs=4096, assets=[asset])


def _robot(edit):
    def apply(header):
        edit(header["assets"][0])
    return apply


def _ball(edit):
    def apply(header):
        edit(header["assets"][1])
    return apply


REFUSALS = [
    ("assets not an array", lambda h: h.update(assets={"robot": 1}), "assets"),
    ("no name", _robot(lambda a: a.pop("name")), "assets[0].name"),
    ("empty name", _robot(lambda a: a.update(name="")), "assets[0].name"),
    ("no bodies", _robot(lambda a: a.update(body_names=[])), "assets[0].body_names"),
    ("body name not a string", _robot(lambda a: a.update(body_names=["torso", 7, "foot"])), "assets[0].body_names[1]"),
    ("repeated body name", _robot(lambda a: a.update(body_names=["torso", "thigh", "torso"])),
     "assets[0].body_names[2]"),
    ("env rows of the wrong length", _robot(lambda a: a.update(env_bodies=[[0, 1, 2], [4, 5]])),
     "assets[0].env_bodies[1]"),
    ("row past the bodies", _robot(lambda a: a.update(env_bodies=[[0, 1, 2], [4, 5, 8]])), "assets[0].env_bodies[1][2]"),
    ("negative row", _robot(lambda a: a.update(env_bodies=[[-1, 1, 2]])), "assets[0].env_bodies[0][0]"),
    ("fractional row", _robot(lambda a: a.update(env_bodies=[[0, 1.5, 2]])), "assets[0].env_bodies[0][1]"),
    ("env rows not an array", _robot(lambda a: a.update(env_bodies=[3])), "assets[0].env_bodies[0]"),
    ("no env rows", _robot(lambda a: a.update(env_bodies=[])), "assets[0].env_bodies"),
    ("more envs than num_envs", _robot(lambda a: a.update(env_bodies=[[0, 1, 2], [4, 5, 6], [4, 5, 6]])),
     "assets[0].env_bodies"),
    ("repeated asset name", _ball(lambda a: a.update(name="robot")), "assets[1].name"),
    ("stride with every env listed", _ball(lambda a: a.update(env_bodies=[[3], [7]])), "assets[1].env_bodies"),
    ("stride past the bodies", _ball(lambda a: a.update(env_stride=5)), "assets[1].env_stride"),
    ("zero stride", _ball(lambda a: a.update(env_stride=0)), "assets[1].env_stride"),
    ("env origins not one per env", lambda h: h.update(env_origins=[[0, 0, 0]]), "env_origins"),
    ("env origin not three numbers", lambda h: h.update(env_origins=[[0, 0, 0], [1, 2]]), "env_origins[1]"),
    ("viewer env_index past num_envs", lambda h: h["viewer"].update(env_index=2), "viewer.env_index"),
    ("viewer asset_name not a string", lambda h: h["viewer"].update(asset_name=3), "viewer.asset_name"),
]


@pytest.mark.parametrize("name, edit, field", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_origin_fields_are_refused_naming_the_field(name, edit, field, tmp_path: Path, request) -> None:
    data = with_header(encode_rollout(origin_scene(), identity_rows(2, 8), step_dt=1 / 60), edit)
    with pytest.raises(RolloutError) as refused:
        decode_rollout(data)
    assert refused.value.field == field, str(refused.value)
    # The farm refuses the same file at the same field.
    farm_bin = _farm_bin(request)
    if farm_bin is not None:
        (tmp_path / "bad.rlt").write_bytes(data)
        result = subprocess.run([str(farm_bin / "farmctl"), "inspect", str(tmp_path / "bad.rlt")], capture_output=True,
                                text=True, timeout=120)
        assert result.returncode != 0 and re.search(re.escape(field) + r"(\s|$)", result.stderr), result.stderr


def _farm_bin(request) -> Path | None:
    try:
        return request.getfixturevalue("farm_bin")
    except pytest.skip.Exception:
        return None


def test_the_farm_reads_the_origin_fields_python_wrote(tmp_path: Path, inspect_rollout) -> None:
    scene = origin_scene()
    write_rollout(tmp_path / "o.rlt", scene, identity_rows(2, 8), step_dt=1 / 60)
    header = inspect_rollout(tmp_path / "o.rlt")["header"]
    assert header["assets"] == [asset.to_json() for asset in scene.assets]
    assert header["env_origins"] == [list(o) for o in scene.env_origins]
    assert header["viewer"] == scene.viewer.to_json()


def test_the_builtin_cartpole_names_its_robot_and_env_origins(tmp_path: Path, farm_bin: Path) -> None:
    out = tmp_path / "cartpole.rlt"
    subprocess.run([str(farm_bin / "farmctl"), "rollout", "--builtin", "cartpole", "--steps", "3", "--num_envs", "4",
                    "--out", str(out)], check=True, capture_output=True, timeout=120)
    rollout = read_rollout(out)
    robot = rollout.scene.asset("robot")
    assert robot.body_names == ("rail", "cart", "pole") and robot.rows(3) == (9, 10, 11)
    np.testing.assert_allclose(rollout.scene.env_origins, [(2, -2, 0), (2, 2, 0), (-2, -2, 0), (-2, 2, 0)])
    # The cart of env 3 is on its env's rail, at the rail's origin's x.
    np.testing.assert_allclose(rollout.body_q[:, robot.rows(3)[1], 0], -2.0, atol=1e-6)
