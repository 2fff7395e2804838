"""Scene export from a finalized Newton model (``newton.Model``) and poses from ``state.body_q``.

Newton's conventions are the farm's own: shape sizes (``shape_scale``) are Newton's parameters,
transforms are ``p, q`` with ``q`` as ``x, y, z, w`` (Warp's ``transformf``), and body ``-1`` is
the world. Shapes are kept as Newton's viewer shows them by default: those with the ``VISIBLE``
flag (collision-only shapes are hidden), coloured by ``model.shape_color`` (else a mesh's own
colour, else the ground plane's dark blue; other shapes then take the farm's palette).

Assets (for cameras that follow a body, docs/ROLLOUT.md) are Newton's articulations: one asset per
articulation label, env ``w`` being its instance in world ``w``; bodies in joint order (the root
first), named by the last part of their label (``ant/worldbody/torso`` → ``torso``). Instances that
do not fill worlds 0, 1, ... with the same bodies become assets of their own, ``label[i]``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..rollout import Asset, Mesh, Scene, Shape, Viewer
from .errors import SceneExportError
from .transforms import compose

# Newton's viewer colours a plane without a shape colour (0.125, 0.125, 0.15) (ViewerBase._populate_shapes).
NEWTON_GROUND_COLOR = (0.125, 0.125, 0.15)


def from_newton(model: Any, *, include_collision_only: bool = False, world_offsets: Any = None,
                viewer: Viewer | None = None, entities: Mapping[str, str] | None = None) -> Scene:
    """The farm scene of a ``newton.Model``: one farm body per Newton body, every world in place.

    ``world_offsets`` (``[world_count, 3]``) moves each world as the viewer's ``set_world_offsets``
    does, for models whose worlds all sit at the origin; pass the same to
    :func:`newton_body_poses`. Shapes with types the farm cannot draw (heightfields, Gaussians)
    raise :class:`SceneExportError` unless hidden.
    """
    import newton

    types = model.shape_type.numpy()
    scales = model.shape_scale.numpy()
    transforms = model.shape_transform.numpy()
    bodies = model.shape_body.numpy()
    worlds = model.shape_world.numpy()
    colors = model.shape_color.numpy() if getattr(model, "shape_color", None) is not None else None
    offsets = _offsets(world_offsets)
    geo = newton.GeoType
    meshes: list[Mesh] = []
    mesh_index: dict[int, int] = {}
    shapes = []
    for s in exported_shapes(model, include_collision_only=include_collision_only):
        kind = geo(int(types[s]))
        scale = scales[s]
        transform = transforms[s].astype(np.float64)
        if bodies[s] < 0 and offsets is not None and worlds[s] >= 0:
            transform = compose(np.concatenate([offsets[worlds[s]], [0, 0, 0, 1]]), transform)
        color = None
        source = model.shape_source[s] if kind in (geo.MESH, geo.CONVEX_MESH) else None
        if colors is not None:
            color = np.clip(colors[s], 0.0, 1.0)
        elif source is not None and getattr(source, "color", None) is not None:
            color = np.clip(np.asarray(source.color)[:3], 0.0, 1.0)
        elif kind == geo.PLANE:
            color = NEWTON_GROUND_COLOR
        common = dict(body=int(bodies[s]), transform=transform, color=color)
        if kind == geo.PLANE:
            infinite = scale[0] <= 0 or scale[1] <= 0
            shapes.append(Shape.plane(0.0 if infinite else scale[0], 0.0 if infinite else scale[1], **common))
        elif kind == geo.SPHERE:
            shapes.append(Shape.sphere(scale[0], **common))
        elif kind == geo.BOX:
            shapes.append(Shape.box(scale, **common))
        elif kind == geo.CAPSULE:
            shapes.append(Shape.capsule(scale[0], scale[1], **common))
        elif kind == geo.CYLINDER:
            shapes.append(Shape.cylinder(scale[0], scale[1], **common))
        elif kind == geo.CONE:
            shapes.append(Shape.cone(scale[0], scale[1], **common))
        elif kind == geo.ELLIPSOID:
            shapes.append(Shape.ellipsoid(scale, **common))
        elif source is not None:
            if id(source) not in mesh_index:
                mesh_index[id(source)] = len(meshes)
                meshes.append(Mesh(np.asarray(source.vertices).reshape(-1, 3), np.asarray(source.indices)))
            shapes.append(Shape.mesh_instance(mesh_index[id(source)], scale=np.abs(scale), **common))
        else:
            label = model.shape_label[s] if getattr(model, "shape_label", None) else ""
            raise SceneExportError(f"has type {kind.name}, which the farm cannot draw; hide it (clear "
                                   "ShapeFlags.VISIBLE) to export the rest",
                                   element=f"shape {s}" + (f" {label!r}" if label else ""))
    num_worlds = max(1, int(getattr(model, "world_count", 1) or 1))
    env_origins = None
    if offsets is not None and len(offsets) == num_worlds:
        env_origins = offsets
    return Scene(shapes, num_bodies=model.body_count, meshes=meshes, num_envs=num_worlds, viewer=viewer,
                 assets=newton_assets(model, entities), env_origins=env_origins)


def newton_assets(model: Any, entities: Mapping[str, str] | None = None) -> list[Asset]:
    """The model's articulations as assets (see the module's docstring). With ``entities``
    (``{asset name: articulation label regex}``), only the articulations whose label fully matches
    a pattern, named by it, one env per world in world order: how Isaac Lab's scene names what its
    Newton model holds (see ``renderfarm.isaaclab.scene_entities``)."""
    count = int(getattr(model, "articulation_count", 0) or 0)
    if count == 0:
        return []
    starts = model.articulation_start.numpy()
    children = model.joint_child.numpy()
    worlds = model.articulation_world.numpy() if getattr(model, "articulation_world", None) is not None \
        else np.zeros(count, dtype=np.int64)
    labels = list(getattr(model, "articulation_label", None) or [""] * count)
    body_labels = list(getattr(model, "body_label", None) or [""] * model.body_count)
    instances: dict[str, list[tuple[int, list[int]]]] = {}
    for a in range(count):
        bodies = [int(b) for b in children[starts[a]:starts[a + 1]] if b >= 0]
        if not bodies:
            continue
        name = labels[a] or f"articulation{a}"
        if entities is not None:
            name = next((entity for entity, pattern in entities.items() if re.fullmatch(pattern, labels[a])), None)
            if name is None:
                continue
        instances.setdefault(name, []).append((int(worlds[a]), bodies))
    assets = []
    for label, found in instances.items():
        found.sort(key=lambda instance: instance[0])
        names = [_short_names(body_labels, bodies) for _, bodies in found]
        if [w for w, _ in found] == list(range(len(found))) and all(n == names[0] for n in names):
            assets.append(Asset(label, names[0], [bodies for _, bodies in found]))
        else:
            assets.extend(Asset(f"{label}[{i}]", names[i], [bodies]) for i, (_, bodies) in enumerate(found))
    return assets


def _short_names(body_labels: list[str], bodies: list[int]) -> list[str]:
    """The last part of each body's label, or the whole labels where those repeat (or are empty)."""
    short = [str(body_labels[b]).rsplit("/", 1)[-1] or f"body{b}" for b in bodies]
    if len(set(short)) == len(short):
        return short
    full = [str(body_labels[b]) or f"body{b}" for b in bodies]
    return full if len(set(full)) == len(full) else [f"body{b}" for b in bodies]


def newton_body_poses(state_or_body_q: Any, *, model: Any = None, world_offsets: Any = None) -> np.ndarray:
    """``[body_count, 7]`` poses (x,y,z,w quaternions) from ``state.body_q`` (a State, a Warp array
    or numpy), moved by ``world_offsets`` (needs ``model`` for ``body_world``)."""
    body_q = getattr(state_or_body_q, "body_q", state_or_body_q)
    rows = np.array(body_q.numpy() if hasattr(body_q, "numpy") else body_q, dtype=np.float64).reshape(-1, 7)
    offsets = _offsets(world_offsets)
    if offsets is not None:
        if model is None:
            raise ValueError("model: needed with world_offsets, for each body's world (model.body_world)")
        worlds = model.body_world.numpy()
        placed = worlds >= 0
        rows[placed, :3] += offsets[worlds[placed]]
    return rows


def newton_body_worlds(model: Any) -> np.ndarray:
    """Each body's world (``model.body_world``), the ``body_env`` of :func:`~renderfarm.scene.cull_envs`."""
    worlds: np.ndarray = model.body_world.numpy().astype(np.int64)
    return worlds


def newton_shape_worlds(model: Any, *, include_collision_only: bool = False) -> np.ndarray:
    """The world of each shape :func:`from_newton` exports, in its order (``-1``: shared), the
    ``shape_env`` of :func:`~renderfarm.scene.cull_envs`."""
    worlds: np.ndarray = model.shape_world.numpy().astype(np.int64)
    exported: np.ndarray = worlds[exported_shapes(model, include_collision_only=include_collision_only)]
    return exported


def exported_shapes(model: Any, *, include_collision_only: bool = False) -> np.ndarray:
    """Indices of the shapes Newton's viewer shows by default (``VISIBLE``; with
    ``include_collision_only`` also ``COLLIDE_SHAPES``), in model order."""
    import newton

    wanted = int(newton.ShapeFlags.VISIBLE) | (int(newton.ShapeFlags.COLLIDE_SHAPES) if include_collision_only else 0)
    return np.flatnonzero(model.shape_flags.numpy() & wanted)


def _offsets(world_offsets: Any) -> np.ndarray | None:
    return None if world_offsets is None else np.asarray(world_offsets, dtype=np.float64).reshape(-1, 3)
