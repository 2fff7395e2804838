"""renderfarm.scene.from_newton against real Newton 1.8 models: MJCF imports, primitives, many worlds."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

newton = pytest.importorskip("newton", reason="the newton extra is not installed")
mujoco = pytest.importorskip("mujoco", reason="the mujoco extra is not installed")
gymnasium = pytest.importorskip("gymnasium", reason="the gymnasium extra is not installed")
import warp as wp  # noqa: E402

from renderfarm.rollout import Scene, write_rollout  # noqa: E402
from renderfarm.scene import (Camera, cull_envs, from_mujoco, from_newton, mujoco_body_poses,  # noqa: E402
                              newton_body_poses, newton_body_worlds, newton_shape_worlds)
from renderfarm.scene.transforms import compose, rotate  # noqa: E402

ASSETS = Path(gymnasium.__file__).parent / "envs" / "mujoco" / "assets"


def gymnasium_mjcf(name: str) -> str:
    """gymnasium's MJCF with MuJoCo's `solver="PGS"` option removed: Newton's importer refuses it."""
    return re.sub(r'\s*solver="PGS"', "", (ASSETS / name).read_text())


def world_shapes(scene: Scene, body_q: np.ndarray) -> list[tuple]:
    """Each shape as (type, rounded world position, axis, sizes), order-free."""
    out = []
    for shape in scene.shapes:
        pose = compose(body_q[shape.body], shape.transform) if shape.body >= 0 else np.asarray(shape.transform)
        axis = np.round(rotate(pose[3:], [0.0, 0.0, 1.0]), 3)
        axis *= np.sign(axis[np.flatnonzero(axis)[0]])  # capsules are symmetric: compare axes up to sign
        sizes = [v for v in (shape.radius, shape.half_height) if v is not None] + list(shape.half_extents or ())
        out.append((shape.type, tuple(np.round(pose[:3], 4) + 0.0), tuple(axis + 0.0),
                    tuple(np.round(sizes, 4))))
    return sorted(out)


@pytest.mark.parametrize("mjcf", ["ant.xml", "humanoid.xml"])
def test_newton_mjcf_import_exports_the_scene_mujoco_exports(mjcf, tmp_path: Path, inspect_rollout) -> None:
    xml = gymnasium_mjcf(mjcf)
    builder = newton.ModelBuilder()
    builder.add_mjcf(xml)
    model = builder.finalize(device="cpu")
    state = model.state()
    newton.eval_fk(model, model.joint_q, model.joint_qd, state)
    scene = from_newton(model)
    body_q = newton_body_poses(state)

    mj_model = mujoco.MjModel.from_xml_string(xml)
    mj_scene = from_mujoco(mj_model)
    mj_poses = mujoco_body_poses(mj_model, mujoco.MjData(mj_model))
    # Same robot in the same place with the same sizes. Colours are each engine's own: Newton's
    # importer takes the geom rgba, MuJoCo's renderer modulates it by the material's texture.
    np.testing.assert_allclose([s.color for s in scene.shapes], np.clip(model.shape_color.numpy(), 0, 1), atol=1e-6)
    ours = [s for s in world_shapes(scene, body_q) if s[0] != "plane"]
    theirs = [s for s in world_shapes(mj_scene, mj_poses) if s[0] != "plane"]
    assert ours == theirs
    assert sum(s.type == "plane" for s in scene.shapes) == 1

    write_rollout(tmp_path / "n.rlt", scene, np.stack([body_q] * 3), step_dt=1 / 60)
    seen = inspect_rollout(tmp_path / "n.rlt")
    np.testing.assert_allclose(np.array(seen["body_q"][0]), body_q, atol=1e-6)


def primitives_in_worlds(worlds: int, spacing: float):
    robot = newton.ModelBuilder()
    body = robot.add_body(xform=wp.transform((0.0, 0.0, 1.0), wp.quat_identity()))
    robot.add_shape_cone(body, radius=0.2, half_height=0.3)
    robot.add_shape_box(body, hx=0.1, hy=0.2, hz=0.3, xform=wp.transform((0.0, 0.0, 0.5), wp.quat_identity()))
    robot.add_shape_capsule(body, radius=0.05, half_height=0.2)
    robot.add_shape_cylinder(body, radius=0.05, half_height=0.25)
    robot.add_shape_ellipsoid(body, rx=0.1, ry=0.2, rz=0.3)
    robot.add_shape_sphere(body, radius=0.1)
    tetra = newton.Mesh(np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], dtype=np.float32),
                        np.array([0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3], dtype=np.int32))
    robot.add_shape_mesh(body, mesh=tetra, scale=(0.5, 0.5, 0.5))
    robot.add_shape_convex_hull(body, mesh=tetra)
    robot.add_shape_sphere(body, radius=2.0, cfg=newton.ModelBuilder.ShapeConfig(is_visible=False))
    builder = newton.ModelBuilder()
    builder.add_ground_plane()
    builder.replicate(robot, worlds, spacing=(spacing, 0.0, 0.0))
    return builder.finalize(device="cpu")


def test_primitives_cone_and_meshes_in_every_world(tmp_path: Path, inspect_rollout) -> None:
    model = primitives_in_worlds(3, 2.0)
    scene = from_newton(model)
    per_world = ["cone", "box", "capsule", "cylinder", "ellipsoid", "sphere", "mesh", "mesh"]
    assert [s.type for s in scene.shapes] == ["plane"] + per_world * 3  # the hidden sphere is left out
    assert scene.num_envs == 3 and scene.num_bodies == 3
    cone = scene.shapes[1]
    assert (cone.radius, cone.half_height) == pytest.approx((0.2, 0.3))
    assert scene.shapes[2].transform[:3] == pytest.approx((0, 0, 0.5))
    assert scene.shapes[7].scale == pytest.approx((0.5, 0.5, 0.5))
    assert len(scene.meshes) == 1  # one Newton mesh behind both shapes of every world, sent once
    colors = model.shape_color.numpy()
    assert scene.shapes[1].color == pytest.approx(tuple(colors[1]))
    # Every world in place: replicate spreads them along X.
    body_q = newton_body_poses(model.state())
    np.testing.assert_allclose(body_q[:, 0], [-2, 0, 2])
    write_rollout(tmp_path / "w.rlt", scene, body_q[np.newaxis], step_dt=1 / 60)
    assert len(inspect_rollout(tmp_path / "w.rlt")["header"]["shapes"]) == 25


def test_world_offsets_place_worlds_built_at_the_origin() -> None:
    model = primitives_in_worlds(2, 0.0)
    offsets = [[0, -3, 0], [0, 3, 0]]
    body_q = newton_body_poses(model.state(), model=model, world_offsets=offsets)
    np.testing.assert_allclose(body_q[:, :3], [[0, -3, 1], [0, 3, 1]])


def test_only_worlds_the_camera_sees_are_kept() -> None:
    model = primitives_in_worlds(5, 10.0)
    scene = from_newton(model)
    body_q = newton_body_poses(model.state())[np.newaxis]
    camera = Camera(eye=(20.0, -4.0, 1.0), lookat=(20.0, 0.0, 1.0))
    culled = cull_envs(scene, body_q, camera, body_env=newton_body_worlds(model), shape_env=newton_shape_worlds(model))
    assert culled.envs.tolist() == [4]
    assert culled.scene.num_bodies == 1 and culled.body_q.shape == (1, 1, 7)
    assert [s.type for s in culled.scene.shapes][0] == "plane"  # shared by every world: always kept
    assert len(culled.scene.shapes) == 1 + 8
