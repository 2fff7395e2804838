"""Scene exporters name the assets a camera can follow: MuJoCo body trees (Ant-v5), Newton articulations,
replicated and culled vector scenes keep them, with env origins."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from renderfarm.rollout import Asset, Scene, Shape, Viewer, read_rollout, write_rollout
from renderfarm.scene import Camera, cull_envs, grid_origins, place_body_q, replicate

gymnasium = pytest.importorskip("gymnasium", reason="the gymnasium extra is not installed")
mujoco = pytest.importorskip("mujoco", reason="the mujoco extra is not installed")

from renderfarm.scene import from_mujoco, mujoco_body_poses  # noqa: E402

ANT_BODIES = ["torso", "front_left_leg", "aux_1", "", "front_right_leg", "aux_2", "", "back_leg", "aux_3", "",
              "right_back_leg", "aux_4", ""]


def test_mujoco_ant_is_one_robot_asset_rooted_at_its_torso(tmp_path: Path) -> None:
    env = gymnasium.make("Ant-v5")
    env.reset(seed=0)
    model, data = env.unwrapped.model, env.unwrapped.data
    scene = from_mujoco(model)
    names = [mujoco.mj_id2name(model, mujoco.mjtObj.mjOBJ_BODY, b) or f"body{b}" for b in range(1, model.nbody)]
    assert [a.name for a in scene.assets] == ["robot"]
    robot = scene.asset("robot")
    assert robot.body_names == tuple(names) and robot.body_names[0] == "torso"
    assert robot.rows(0) == tuple(range(model.nbody - 1))
    for _ in range(5):
        env.step(env.action_space.sample())
    rows = mujoco_body_poses(model, data)[None]
    write_rollout(tmp_path / "ant.rlt", scene, rows, step_dt=env.unwrapped.dt)
    read = read_rollout(tmp_path / "ant.rlt")
    # The root row is the torso, Isaac Lab's root_pos_w.
    np.testing.assert_allclose(read.body_q[0, read.scene.asset("robot").rows(0)[0], :3], data.xpos[1], atol=1e-6)
    env.close()


def test_each_tree_under_the_world_is_an_asset() -> None:
    model = mujoco.MjModel.from_xml_string("""
    <mujoco><worldbody>
      <geom type="plane" size="5 5 .1"/>
      <body name="base"><geom type="box" size=".1 .1 .1"/><body name="arm"><geom type="sphere" size=".1"/></body></body>
      <body name="ball" pos="1 0 0"><freejoint/><geom type="sphere" size=".1"/></body>
      <body pos="2 0 0"><geom type="sphere" size=".1"/></body>
    </worldbody></mujoco>""")
    assets = from_mujoco(model).assets
    assert [(a.name, a.body_names, a.env_bodies) for a in assets] == [
        ("robot", ("base", "arm"), ((0, 1),)), ("ball", ("ball",), ((2,),)), ("body4", ("body4",), ((3,),))]


def test_replicated_envs_share_one_strided_asset_and_record_their_origins() -> None:
    one = Scene([Shape.plane(), Shape.box((0.1, 0.1, 0.1), body=0), Shape.sphere(0.1, body=1)], num_bodies=2,
                assets=[Asset("robot", ("base", "head"), [[0, 1]])])
    origins = grid_origins(4096, 4.0)
    scene = replicate(one, origins)
    robot = scene.asset("robot")
    assert robot.env_stride == 2 and robot.env_bodies == ((0, 1),) and robot.env_count(4096) == 4096
    assert robot.rows(4095) == (8190, 8191)
    np.testing.assert_array_equal(scene.env_origins, origins)
    local = np.zeros((4096, 2, 7))
    local[..., 6] = 1
    local[:, 1, 2] = 0.5
    rows = place_body_q(local, origins)
    np.testing.assert_allclose(rows[robot.rows(7)[1], :3], origins[7] + [0, 0, 0.5])


def test_culling_keeps_the_anchored_env_and_renumbers_assets_and_origins() -> None:
    one = Scene([Shape.box((0.2, 0.2, 0.2), body=0)], num_bodies=1, assets=[Asset("robot", ("base",), [[0]])])
    origins = np.array([[0.0, 0.0, 0.0], [10.0, 0.0, 0.0], [0.0, 50.0, 0.0]])
    scene = replicate(one, origins)
    rows = place_body_q(np.tile(np.array([0, 0, 0, 0, 0, 0, 1.0]), (1, 3, 1, 1)), origins)
    camera = Camera(eye=(-5, 0, 1), lookat=(10, 0, 0), width=320, height=180)
    anchored = Scene(scene.shapes, scene.num_bodies, num_envs=3, assets=scene.assets, env_origins=scene.env_origins,
                     viewer=Viewer((-5, 0, 1), (0, 0, 0), "asset_root", env_index=2, asset_name="robot"))
    plain = cull_envs(scene, rows, camera)
    assert list(plain.envs) == [0, 1]
    culled = cull_envs(anchored, rows, camera)
    assert list(culled.envs) == [0, 1, 2]
    # Only env 1 and the anchored env 2 when env 0 is out of sight.
    behind = Camera(eye=(5, 0, 1), lookat=(10, 0, 0), width=320, height=180)
    kept = cull_envs(anchored, rows, behind)
    assert list(kept.envs) == [1, 2]
    assert kept.scene.viewer.env_index == 1
    assert kept.scene.asset("robot").env_bodies == ((0,), (1,))
    assert kept.scene.env_origins == ((10.0, 0.0, 0.0), (0.0, 50.0, 0.0))


def test_newton_articulations_are_assets_with_one_env_per_world() -> None:
    newton = pytest.importorskip("newton", reason="the newton extra is not installed")
    from renderfarm.scene import from_newton, newton_body_poses

    xml = re.sub(r'\s*solver="PGS"', "", (Path(gymnasium.__file__).parent / "envs/mujoco/assets/ant.xml").read_text())
    ant = newton.ModelBuilder()
    ant.add_mjcf(xml)
    builder = newton.ModelBuilder()
    builder.replicate(ant, 3)
    model = builder.finalize(device="cpu")
    offsets = grid_origins(3, 3.0)
    scene = from_newton(model, world_offsets=offsets)
    assert [a.name for a in scene.assets] == ["ant"]
    robot = scene.assets[0]
    assert robot.body_names[0] == "torso" and len(robot.body_names) == 13 and robot.env_count(3) == 3
    worlds = model.body_world.numpy()
    assert all(set(worlds[list(robot.rows(w))]) == {w} for w in range(3))
    np.testing.assert_allclose(scene.env_origins, offsets)
    state = model.state()
    newton.eval_fk(model, model.joint_q, model.joint_qd, state)
    rows = newton_body_poses(state, model=model, world_offsets=offsets)
    roots = rows[[robot.rows(w)[0] for w in range(3)], :3]
    np.testing.assert_allclose(roots - offsets, np.repeat(roots[:1] - offsets[:1], 3, axis=0), atol=1e-6)
