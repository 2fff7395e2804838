"""Vectorised runs: many envs side by side in one scene, and keeping only those the camera sees.

Bodies of env ``k`` are the ``k``-th block of ``bodies_per_env`` rows (``replicate``), or any
assignment given as ``body_env`` (a Newton model's ``body_world``). Static shapes belong to the env
they were replicated for, or to none (``-1``: shared, e.g. a ground plane) and are always kept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal, Sequence, TypeVar

import numpy as np

from ..rollout import Asset, Mesh, Scene, Shape
from .frustum import Camera
from .transforms import compose, rotate

T = TypeVar("T")


def grid_origins(num_envs: int, spacing: float) -> np.ndarray:
    """``[num_envs, 3]`` env origins on Isaac Lab's grid (``TerrainImporter``'s
    ``_compute_env_origins_grid``): rows along -X, columns along +Y, centred on the world origin."""
    if num_envs < 1:
        raise ValueError(f"num_envs: must be >= 1, got {num_envs}")
    rows = math.ceil(num_envs / int(math.sqrt(num_envs)))
    cols = math.ceil(num_envs / rows)
    index = np.arange(num_envs)
    i, j = index // cols, index % cols
    return np.stack([-(i - (rows - 1) / 2) * spacing, (j - (cols - 1) / 2) * spacing, np.zeros(num_envs)], axis=-1)


def replicate(scene: Scene, origins: np.ndarray, *,
              static: Literal["each", "first"] = "each") -> Scene:
    """One scene holding a copy of ``scene`` per origin; env ``k``'s bodies are rows
    ``k * scene.num_bodies ..``. Static shapes are moved to each origin (``"each"``) or kept once at
    the first (``"first"``); meshes are shared. The scene's assets (env 0's rows) become assets of
    every env (``env_stride`` = the scene's bodies) and ``origins`` the env origins. Pair with
    :func:`place_body_q`."""
    origins = np.asarray(origins, dtype=np.float64).reshape(-1, 3)
    shapes: list[Shape] = []
    for k, origin in enumerate(origins):
        offset = np.concatenate([origin, [0.0, 0.0, 0.0, 1.0]])
        for shape in scene.shapes:
            if shape.body >= 0:
                shapes.append(replace(shape, body=shape.body + k * scene.num_bodies))
            elif static == "each" or k == 0:
                shapes.append(replace(shape, transform=tuple(compose(offset, np.asarray(shape.transform)))))
    spacing = float(np.linalg.norm(origins[1] - origins[0])) if len(origins) > 1 else scene.env_spacing
    assets = [Asset.strided(asset.name, asset.body_names, asset.rows(0), scene.num_bodies) for asset in scene.assets]
    return Scene(shapes, scene.num_bodies * len(origins), scene.meshes, num_envs=len(origins),
                 env_spacing=spacing, viewer=scene.viewer, assets=assets, env_origins=origins)


def place_body_q(body_q_envs: np.ndarray, origins: np.ndarray) -> np.ndarray:
    """``[..., num_envs, bodies, 7]`` poses, each env's local to its origin, as ``[..., num_envs *
    bodies, 7]`` world poses (the rows of a :func:`replicate`\\ d scene)."""
    rows = np.array(body_q_envs, dtype=np.float64)
    rows[..., :3] += np.asarray(origins, dtype=np.float64)[:, np.newaxis, :]
    return rows.reshape(*rows.shape[:-3], -1, 7)


def _set(value: T | None) -> T:
    """A field the shape's type requires, which ``Shape`` checks is set when it is made."""
    if value is None:
        raise ValueError("a shape lacks a field its type requires")
    return value


def shape_radius(shape: Shape, meshes: Sequence[Mesh]) -> float:
    """Radius of a sphere around the shape's origin that holds it (infinite planes: ``inf``)."""
    if shape.type == "box":
        return float(np.linalg.norm(_set(shape.half_extents)))
    if shape.type == "sphere":
        return _set(shape.radius)
    if shape.type in ("capsule", "cone", "cylinder"):
        radius = _set(shape.radius)
        return math.hypot(radius, _set(shape.half_height)) + (radius if shape.type == "capsule" else 0.0)
    if shape.type == "ellipsoid":
        return max(_set(shape.radii))
    if shape.type == "plane":
        width, length = shape.size or (0.0, 0.0)
        return math.inf if width <= 0 or length <= 0 else math.hypot(width, length) / 2
    vertices = meshes[_set(shape.mesh)].vertices * np.asarray(shape.scale or (1.0, 1.0, 1.0))
    return float(np.linalg.norm(vertices, axis=1).max())


def env_bounds(scene: Scene, body_q: np.ndarray, body_env: np.ndarray, num_envs: int,
               shape_env: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Axis-aligned boxes ``(lower [num_envs, 3], upper [num_envs, 3])`` around each env's shapes
    over all ``body_q`` steps (``[steps, bodies, 7]`` world poses): exact boxes around boxes, boxes
    around bounding spheres for other shapes. Infinite planes are left out (they are kept
    regardless); an env without finite shapes gets the box around its bodies."""
    rows = np.asarray(body_q, dtype=np.float64).reshape(-1, scene.num_bodies, 7)
    body_env = np.asarray(body_env)
    shape_env = np.full(len(scene.shapes), -1) if shape_env is None else np.asarray(shape_env)
    radii = np.array([shape_radius(shape, scene.meshes) for shape in scene.shapes])
    bodies = np.array([shape.body for shape in scene.shapes], dtype=np.int64)
    envs = np.where(bodies >= 0, body_env[np.maximum(bodies, 0)] if len(body_env) else -1, shape_env)
    chosen = np.flatnonzero(np.isfinite(radii) & (envs >= 0))
    lower = np.full((num_envs, 3), np.inf)
    upper = np.full((num_envs, 3), -np.inf)
    if chosen.size:
        transforms = np.array([scene.shapes[i].transform for i in chosen.tolist()])
        attached = bodies[chosen] >= 0
        # [steps, shapes, 7]: world poses of body-attached shapes at every step, statics once.
        parents = np.where(attached[None, :, None], rows[:, np.maximum(bodies[chosen], 0)],
                           np.array([0, 0, 0, 0, 0, 0, 1.0]))
        poses = compose(parents, transforms[None])
        half = np.broadcast_to(radii[chosen][None, :, None], poses.shape[:2] + (3,)).copy()
        boxes = np.array([scene.shapes[i].type == "box" for i in chosen.tolist()])
        if boxes.any():
            extents = np.array([scene.shapes[i].half_extents for i in chosen[boxes].tolist()])
            axes = np.stack([rotate(poses[:, boxes, 3:], axis) for axis in np.eye(3)], axis=-1)
            half[:, boxes] = np.einsum("snij,nj->sni", np.abs(axes), extents)
        np.minimum.at(lower, envs[chosen], (poses[..., :3] - half).min(axis=0))
        np.maximum.at(upper, envs[chosen], (poses[..., :3] + half).max(axis=0))
    for env in np.flatnonzero(~np.isfinite(lower).all(axis=1)):
        members = rows[:, np.flatnonzero(body_env == env), :3].reshape(-1, 3)
        lower[env], upper[env] = (members.min(axis=0), members.max(axis=0)) if len(members) else (0.0, 0.0)
    return lower, upper


@dataclass(frozen=True)
class CulledScene:
    """The envs a camera can see: their scene, their rows and which envs and bodies they were."""

    scene: Scene
    body_q: np.ndarray
    envs: np.ndarray
    bodies: np.ndarray


def cull_envs(scene: Scene, body_q: np.ndarray, camera: Camera, *, body_env: np.ndarray | None = None,
              shape_env: np.ndarray | None = None) -> CulledScene:
    """Keeps only the envs whose bounding boxes over these ``body_q`` steps ``[steps, bodies, 7]``
    may intersect the camera's frustum (conservative), and shapes not tied to an env.

    ``body_env`` defaults to ``scene.num_envs`` equal blocks of bodies (a :func:`replicate`\\ d
    scene); ``shape_env`` gives static shapes' envs (default: as replicated with ``static="each"``
    when there are as many static shapes per env, else shared). The env a viewer with an origin other
    than ``world`` is anchored to is always kept; assets, env origins and the viewer's ``env_index``
    are renumbered to the kept envs.
    """
    rows = np.asarray(body_q)
    num_envs = scene.num_envs
    if body_env is None:
        if scene.num_bodies % num_envs:
            raise ValueError(f"body_env: {scene.num_bodies} bodies do not split into {num_envs} equal envs")
        body_env = np.repeat(np.arange(num_envs), scene.num_bodies // num_envs)
    body_env = np.asarray(body_env)
    statics = [i for i, shape in enumerate(scene.shapes) if shape.body < 0]
    if shape_env is None:
        shape_env = np.full(len(scene.shapes), -1)
        if statics and len(statics) % num_envs == 0 and num_envs > 1:
            shape_env[statics] = np.repeat(np.arange(num_envs), len(statics) // num_envs)
    shape_env = np.asarray(shape_env)
    lower, upper = env_bounds(scene, rows, body_env, num_envs, shape_env)
    visible = camera.boxes_visible(lower, upper)
    viewer = scene.viewer
    if viewer is not None and viewer.origin_type != "world":
        visible[viewer.env_index] = True
    envs = np.flatnonzero(visible)
    kept_env = np.zeros(num_envs, dtype=bool)
    kept_env[envs] = True
    bodies = np.flatnonzero(kept_env[body_env])
    new_index = np.full(scene.num_bodies, -1)
    new_index[bodies] = np.arange(len(bodies))
    shapes = []
    for shape, env in zip(scene.shapes, shape_env):
        if shape.body >= 0 and new_index[shape.body] >= 0:
            shapes.append(replace(shape, body=int(new_index[shape.body])))
        elif shape.body < 0 and (env < 0 or kept_env[env]):
            shapes.append(shape)
    new_env = np.full(num_envs, -1)
    new_env[envs] = np.arange(len(envs))
    if viewer is not None:
        viewer = replace(viewer, env_index=max(0, int(new_env[viewer.env_index])))
    assets = []
    for asset in scene.assets:
        kept_rows = [[int(new_index[row]) for row in asset.rows(e)]
                     for e in range(asset.env_count(num_envs)) if kept_env[e]]
        if kept_rows:
            assets.append(Asset(asset.name, asset.body_names, kept_rows))
    origins = None if scene.env_origins is None else [scene.env_origins[e] for e in envs.tolist()]
    culled = Scene(shapes, len(bodies), scene.meshes, num_envs=max(1, len(envs)), env_spacing=scene.env_spacing,
                   viewer=viewer, assets=assets, env_origins=origins if envs.size else None)
    return CulledScene(culled, rows.reshape(-1, scene.num_bodies, 7)[:, bodies], envs, bodies)
