"""Writes a Newton model and one state as a one-step FARMRLT1 rollout (docs/ROLLOUT.md).

A minimal, self-contained helper for tools/look-check only: it exports what the look comparison
needs (planes, boxes, spheres, capsules, cylinders, cones, ellipsoids; the shapes Newton's viewer
shows, coloured as `model.shape_color` colours them). The Python package's
`renderfarm.scene.from_newton` is the general exporter; this script may switch to it later.
"""

from __future__ import annotations

import json
import struct

import numpy as np

import newton

MAGIC = b"FARMRLT1"

_SIZE_FIELDS = {
    newton.GeoType.BOX: lambda s: {"half_extents": [float(s[0]), float(s[1]), float(s[2])]},
    newton.GeoType.SPHERE: lambda s: {"radius": float(s[0])},
    newton.GeoType.CAPSULE: lambda s: {"radius": float(s[0]), "half_height": float(s[1])},
    newton.GeoType.CYLINDER: lambda s: {"radius": float(s[0]), "half_height": float(s[1])},
    newton.GeoType.CONE: lambda s: {"radius": float(s[0]), "half_height": float(s[1])},
    newton.GeoType.ELLIPSOID: lambda s: {"radii": [float(s[0]), float(s[1]), float(s[2])]},
    # Newton's viewer draws a plane of scale 0 as a 1000 m quad, as the farm does without a size.
    newton.GeoType.PLANE: lambda s: {"size": [float(s[0]), float(s[1])]} if s[0] > 0 and s[1] > 0 else {},
}

_NAMES = {
    newton.GeoType.BOX: "box",
    newton.GeoType.SPHERE: "sphere",
    newton.GeoType.CAPSULE: "capsule",
    newton.GeoType.CYLINDER: "cylinder",
    newton.GeoType.CONE: "cone",
    newton.GeoType.ELLIPSOID: "ellipsoid",
    newton.GeoType.PLANE: "plane",
}


def shapes(model: newton.Model) -> list[dict]:
    """The visible shapes as rollout shape records, in model order.

    Newton's viewer shows a shape with the VISIBLE flag (its default `show_visual`); other shapes,
    and geometry this helper does not export, are skipped."""
    types = model.shape_type.numpy()
    scales = model.shape_scale.numpy()
    bodies = model.shape_body.numpy()
    transforms = model.shape_transform.numpy()
    flags = model.shape_flags.numpy()
    colors = model.shape_color.numpy()
    records = []
    for s in range(model.shape_count):
        geo = newton.GeoType(int(types[s]))
        if not flags[s] & int(newton.ShapeFlags.VISIBLE):
            continue
        if geo not in _NAMES:
            raise ValueError(f"shape {s}: geometry {geo.name} is not exported by this helper")
        record = {
            "type": _NAMES[geo],
            "body": int(bodies[s]),
            "transform": [float(v) for v in transforms[s]],
            "color": [float(np.clip(c, 0.0, 1.0)) for c in colors[s]],
        }
        record.update(_SIZE_FIELDS[geo](scales[s]))
        records.append(record)
    return records


def write(path: str, model: newton.Model, state: newton.State, steps: int = 1, step_dt: float = 1.0 / 60.0) -> None:
    """`steps` rollout steps, each holding `state.body_q` (px py pz qx qy qz qw per body, Newton's layout)."""
    body_q = state.body_q.numpy().astype("<f4").reshape(-1, 7) if model.body_count else np.zeros((0, 7), "<f4")
    header = {
        "version": 1,
        "up_axis": "z",
        "step_dt": step_dt,
        "first_step": 0,
        "steps": steps,
        "num_bodies": int(body_q.shape[0]),
        "num_envs": 1,
        "env_spacing": 0.0,
        "shapes": shapes(model),
    }
    text = json.dumps(header).encode("utf-8")
    with open(path, "wb") as out:
        out.write(MAGIC)
        out.write(struct.pack("<Q", len(text)))
        out.write(text)
        out.write(np.tile(body_q, (steps, 1)).tobytes())
