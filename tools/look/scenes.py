"""The Newton scenes the look check renders: gymnasium's MuJoCo humanoid and ant (gymnasium 1.4's
assets), and one of each primitive on Newton's ground. Each builder returns a finalized CPU
`newton.Model` and the state of its initial joint coordinates (forward kinematics)."""

from __future__ import annotations

import pathlib
import re

import warp as wp

import newton


def _gymnasium_asset(name: str) -> str:
    """gymnasium's MJCF text with the `solver="PGS"` attribute removed (Newton's importer refuses it)."""
    import gymnasium.envs.mujoco as mujoco_envs

    path = pathlib.Path(mujoco_envs.__file__).parent / "assets" / name
    return re.sub(r'\s*solver="PGS"', "", path.read_text())


def _mjcf_model(asset: str) -> newton.ModelBuilder:
    builder = newton.ModelBuilder()
    builder.add_mjcf(_gymnasium_asset(asset))
    return builder


def humanoid() -> tuple[newton.Model, newton.State]:
    return _rest_pose(_mjcf_model("humanoid.xml"))


def ant() -> tuple[newton.Model, newton.State]:
    return _rest_pose(_mjcf_model("ant.xml"))


def primitives() -> tuple[newton.Model, newton.State]:
    """A box, sphere, capsule, cylinder and cone standing on Newton's ground plane."""
    builder = newton.ModelBuilder()
    builder.add_ground_plane()
    placements = [(-1.6, 0.0), (-0.8, 0.6), (0.0, 0.0), (0.8, 0.6), (1.6, 0.0)]
    adders = [
        lambda b: builder.add_shape_box(b, hx=0.25, hy=0.2, hz=0.3),
        lambda b: builder.add_shape_sphere(b, radius=0.3),
        lambda b: builder.add_shape_capsule(b, radius=0.15, half_height=0.25),
        lambda b: builder.add_shape_cylinder(b, radius=0.2, half_height=0.3),
        lambda b: builder.add_shape_cone(b, radius=0.25, half_height=0.3),
    ]
    heights = [0.3, 0.3, 0.4, 0.3, 0.3]
    for (x, y), add, z in zip(placements, adders, heights):
        body = builder.add_body(xform=wp.transform((x, y, z), wp.quat_identity()))
        add(body)
    model = builder.finalize(device="cpu")
    return model, _forward(model)


def _forward(model: newton.Model) -> newton.State:
    state = model.state()
    newton.eval_fk(model, model.joint_q, model.joint_qd, state)
    return state


def _rest_pose(builder: newton.ModelBuilder) -> tuple[newton.Model, newton.State]:
    """The model's rest pose (forward kinematics of its initial joint coordinates)."""
    model = builder.finalize(device="cpu")
    return model, _forward(model)


SCENES = {"humanoid": humanoid, "ant": ant, "primitives": primitives}
