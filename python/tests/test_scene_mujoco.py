"""renderfarm.scene.from_mujoco and mujoco_body_poses against real MuJoCo models (gymnasium 1.4's too)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from conftest import assert_same_shapes

mujoco = pytest.importorskip("mujoco", reason="the mujoco extra is not installed")
gym = pytest.importorskip("gymnasium", reason="the gymnasium extra is not installed")

from renderfarm.rollout import decode_rollout, encode_rollout, write_rollout  # noqa: E402
from renderfarm.scene import (SceneExportError, from_mujoco, mujoco_body_poses,  # noqa: E402
                              mujoco_geom_colors)

# Every geom type, a body chain, hidden geoms (group 3, alpha 0), a material colour and a texture.
EVERY_GEOM_MJCF = """
<mujoco>
  <asset>
    <texture name="orange" type="2d" builtin="flat" rgb1="1 0.5 0" width="8" height="8"/>
    <material name="textured" texture="orange"/>
    <material name="blue" rgba="0 0 1 1"/>
    <mesh name="tetra" vertex="0 0 0  1 0 0  0 1 0  0 0 1"/>
    <hfield name="bumps" nrow="3" ncol="4" size="2 1 0.5 0.1" elevation="0 0 0 0  0 1 1 0  0 0 0 0"/>
  </asset>
  <worldbody>
    <geom name="floor" type="plane" size="3 4 0.1" rgba="0.2 0.3 0.4 1"/>
    <geom name="infinite" type="plane" size="0 0 1" pos="0 0 -1"/>
    <geom name="terrain" type="hfield" hfield="bumps" pos="5 0 0"/>
    <body name="base" pos="0 0 1" quat="0.7071068 0 0 0.7071068">
      <freejoint/>
      <geom name="box" type="box" size="0.1 0.2 0.3" pos="0.5 0 0" quat="0 1 0 0" material="blue"/>
      <geom name="ball" type="sphere" size="0.15" material="textured"/>
      <geom name="hidden" type="sphere" size="0.5" group="3"/>
      <geom name="clear" type="sphere" size="0.5" rgba="1 1 1 0"/>
      <body name="arm" pos="0 0 0.5">
        <joint type="hinge" axis="0 1 0"/>
        <geom name="capsule" type="capsule" size="0.05 0.2"/>
        <geom name="cylinder" type="cylinder" size="0.05 0.25" pos="0 0 0.3"/>
        <geom name="ellipsoid" type="ellipsoid" size="0.1 0.2 0.3" pos="0 0 0.6"/>
        <geom name="mesh" type="mesh" mesh="tetra" pos="0 0 0.9"/>
      </body>
    </body>
  </worldbody>
</mujoco>
"""


@pytest.fixture(scope="module")
def every_geom():
    model = mujoco.MjModel.from_xml_string(EVERY_GEOM_MJCF)
    return model, mujoco.MjData(model)


def by_name(model, scene, name):
    """The exported shape of a named geom (shapes keep model order, hidden geoms dropped)."""
    visible = [g for g in range(model.ngeom) if mujoco.mj_id2name(model, mujoco.mjtObj.mjOBJ_GEOM, g)
               not in ("hidden", "clear")]
    geom = mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_GEOM, name)
    return scene.shapes[visible.index(geom)]


def test_every_geom_type_is_exported_with_the_farms_sizes(every_geom) -> None:
    model, _ = every_geom
    scene = from_mujoco(model)
    assert [s.type for s in scene.shapes] == ["plane", "plane", "mesh", "box", "sphere", "capsule", "cylinder",
                                              "ellipsoid", "mesh"]
    assert by_name(model, scene, "box").half_extents == pytest.approx((0.1, 0.2, 0.3))
    assert by_name(model, scene, "ball").radius == pytest.approx(0.15)
    capsule = by_name(model, scene, "capsule")
    assert (capsule.radius, capsule.half_height) == pytest.approx((0.05, 0.2))
    assert by_name(model, scene, "cylinder").half_height == pytest.approx(0.25)
    assert by_name(model, scene, "ellipsoid").radii == pytest.approx((0.1, 0.2, 0.3))
    mesh = by_name(model, scene, "mesh")
    assert len(scene.meshes[mesh.mesh].vertices) == 4 and len(scene.meshes[mesh.mesh].indices) == 4
    # The exported scene is a valid rollout as the farm reads it.
    rows = mujoco_body_poses(*every_geom)[np.newaxis]
    assert_same_shapes(decode_rollout(encode_rollout(scene, rows, step_dt=0.01)).shapes, scene.shapes)


def test_plane_half_extents_become_full_width_and_length(every_geom) -> None:
    model, _ = every_geom
    scene = from_mujoco(model)
    assert by_name(model, scene, "floor").size == (6.0, 8.0)
    assert by_name(model, scene, "infinite").size == (0.0, 0.0)


def test_world_body_becomes_minus_one_and_bodies_shift_by_one(every_geom) -> None:
    model, _ = every_geom
    scene = from_mujoco(model)
    assert scene.num_bodies == model.nbody - 1 == 2
    assert by_name(model, scene, "floor").body == -1
    assert by_name(model, scene, "box").body == 0
    assert by_name(model, scene, "capsule").body == 1


def test_quaternions_become_x_y_z_w(every_geom) -> None:
    model, data = every_geom
    scene = from_mujoco(model)
    # MJCF quat="0 1 0 0" is w,x,y,z: a half turn about X.
    assert by_name(model, scene, "box").transform == pytest.approx((0.5, 0, 0, 1, 0, 0, 0))
    poses = mujoco_body_poses(model, data)
    # Body quat="0.7071068 0 0 0.7071068": a quarter turn about Z, w first in MuJoCo.
    np.testing.assert_allclose(poses[0], [0, 0, 1, 0, 0, math.sqrt(0.5), math.sqrt(0.5)], atol=1e-6)


def test_hidden_groups_and_transparent_geoms_are_left_out(every_geom) -> None:
    model, _ = every_geom
    assert mujoco.MjvOption().geomgroup.tolist() == [1, 1, 1, 0, 0, 0]
    assert len(from_mujoco(model).shapes) == model.ngeom - 2
    assert len(from_mujoco(model, visible_groups=range(6)).shapes) == model.ngeom - 1


def test_colours_come_from_geom_rgba_materials_and_textures(every_geom) -> None:
    model, _ = every_geom
    scene = from_mujoco(model)
    assert by_name(model, scene, "floor").color == pytest.approx((0.2, 0.3, 0.4))
    assert by_name(model, scene, "box").color == pytest.approx((0, 0, 1))
    assert by_name(model, scene, "ball").color == pytest.approx((1, 0.5, 0), abs=1 / 255)
    assert by_name(model, scene, "capsule").color == pytest.approx((0.5, 0.5, 0.5))


# Ambient-only light, so MuJoCo's rendered pixels are the geoms' colours.
COLOUR_MJCF = """
<mujoco>
  <visual><headlight ambient="1 1 1" diffuse="0 0 0" specular="0 0 0"/><quality shadowsize="0"/></visual>
  <asset>
    <texture name="orange" type="2d" builtin="flat" rgb1="1 0.5 0" width="8" height="8"/>
    <texture name="cube" type="cube" builtin="flat" rgb1="0.8 0.6 0.4" width="8" height="8"/>
    <material name="textured" texture="orange" specular="0" shininess="0" reflectance="0"/>
    <material name="tinted" texture="cube" rgba="0.5 1 1 1" specular="0" shininess="0" reflectance="0"/>
    <material name="blue" rgba="0 0 1 1" specular="0" shininess="0" reflectance="0"/>
  </asset>
  <worldbody>
    <geom name="texture" type="box" size="0.2 0.2 0.2" pos="0 1 0" material="textured"/>
    <geom name="rgba_and_texture" type="box" size="0.2 0.2 0.2" pos="0 0 0" material="tinted" rgba="1 1 0.5 1"/>
    <geom name="material" type="box" size="0.2 0.2 0.2" pos="0 -1 0" material="blue"/>
  </worldbody>
</mujoco>
"""


def test_colours_match_mujocos_own_render() -> None:
    model = mujoco.MjModel.from_xml_string(COLOUR_MJCF)
    data = mujoco.MjData(model)
    mujoco.mj_forward(model, data)
    camera = mujoco.MjvCamera()
    camera.type = mujoco.mjtCamera.mjCAMERA_FREE
    camera.lookat[:], camera.distance, camera.azimuth, camera.elevation = 0, 4, 0, 0
    with mujoco.Renderer(model, 200, 300) as renderer:
        renderer.update_scene(data, camera=camera)
        image = renderer.render()
    scene = from_mujoco(model)
    # Looking along +X, +Y is on the left of the image.
    for shape, column in zip(scene.shapes, (75, 150, 225)):
        assert shape.color == pytest.approx(tuple(image[100, column] / 255), abs=2 / 255)
    assert scene.shapes[1].color == pytest.approx((0.8, 0.6, 0.2), abs=1 / 255)


def test_heightfields_become_meshes_or_a_clear_refusal(every_geom) -> None:
    model, _ = every_geom
    scene = from_mujoco(model)
    terrain = by_name(model, scene, "terrain")
    vertices = scene.meshes[terrain.mesh].vertices
    assert len(vertices) == 12 and len(scene.meshes[terrain.mesh].indices) == 2 * 2 * 3
    assert vertices[:, 0].min() == pytest.approx(-2) and vertices[:, 1].max() == pytest.approx(1)
    assert vertices[:, 2].max() == pytest.approx(0.5)
    with pytest.raises(SceneExportError, match="geom 'terrain' .*heightfield"):
        from_mujoco(model, hfield="refuse")


@pytest.mark.parametrize("env_id, types", [
    ("Ant-v5", {"plane", "sphere", "capsule"}),
    ("Humanoid-v5", {"plane", "sphere", "capsule"}),
    ("HalfCheetah-v5", {"plane", "capsule"}),
])
def test_gymnasium_models_export_every_visible_geom(env_id, types, tmp_path: Path, inspect_rollout) -> None:
    env = gym.make(env_id)
    env.reset(seed=0)
    env.action_space.seed(0)
    model, data = env.unwrapped.model, env.unwrapped.data
    scene = from_mujoco(model)
    assert len(scene.shapes) == int(np.sum(model.geom_group <= 2)) and {s.type for s in scene.shapes} == types
    assert scene.num_bodies == model.nbody - 1
    floor = scene.shapes[0]
    assert floor.type == "plane" and floor.body == -1 and floor.size == (2 * model.geom_size[0, 0],) * 2
    # No white robots: every body geom's colour is what MuJoCo draws (rgba, material, texture).
    colors = mujoco_geom_colors(model)
    for geom, shape in zip(range(model.ngeom), scene.shapes):
        assert shape.color == pytest.approx(tuple(colors[geom, :3]))
        assert shape.body < 0 or shape.color != pytest.approx((0.5, 0.5, 0.5))
    rows = []
    for _ in range(5):
        env.step(env.action_space.sample())
        rows.append(mujoco_body_poses(model, data))
    write_rollout(tmp_path / "r.rlt", scene, np.array(rows), step_dt=env.unwrapped.dt)
    seen = inspect_rollout(tmp_path / "r.rlt")
    np.testing.assert_allclose(np.array(seen["body_q"]), np.array(rows), atol=1e-5)
    env.close()


def test_humanoid_colour_lives_in_its_material_texture() -> None:
    env = gym.make("Humanoid-v5")
    model = env.unwrapped.model
    torso = mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_GEOM, "torso1")
    assert model.geom_matid[torso] >= 0
    texture = model.mat_texid[model.geom_matid[torso]][mujoco.mjtTextureRole.mjTEXROLE_RGB]
    assert texture >= 0
    # rgba 0.8 0.6 0.4 modulated by the flat texture's 0.8 0.6 0.4 (with its random white dots).
    assert from_mujoco(model).shapes[torso].color == pytest.approx((0.64, 0.36, 0.16), abs=0.01)
    env.close()


@pytest.mark.parametrize("env_id", ["Ant-v5", "Humanoid-v5", "HalfCheetah-v5"])
def test_poses_are_taken_after_mj_kinematics(env_id) -> None:
    env = gym.make(env_id)
    env.reset(seed=0)
    env.action_space.seed(0)
    model, data = env.unwrapped.model, env.unwrapped.data
    for _ in range(10):
        env.step(env.action_space.sample())
    stale = mujoco_body_poses(model, data, kinematics=False).copy()
    fresh = mujoco_body_poses(model, data)
    # Reference: a fresh MjData at the same qpos, kinematics computed from scratch.
    reference = mujoco.MjData(model)
    reference.qpos[:] = data.qpos
    mujoco.mj_kinematics(model, reference)
    np.testing.assert_allclose(fresh[:, :3], reference.xpos[1:], atol=1e-12)
    np.testing.assert_allclose(fresh[:, 3:], reference.xquat[1:, [1, 2, 3, 0]], atol=1e-12)
    # Without it, xpos lags qpos by one physics step (the size of the lag depends on the speed).
    assert np.abs(stale[:, :3] - fresh[:, :3]).max() > 1e-6
    env.close()
