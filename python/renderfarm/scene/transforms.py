"""Vectorised rigid transforms in the farm's convention: ``[px, py, pz, qx, qy, qz, qw]``."""

from __future__ import annotations

import numpy as np


def wxyz_to_xyzw(quaternions: np.ndarray) -> np.ndarray:
    """MuJoCo's ``w, x, y, z`` quaternions (last axis) as the farm's ``x, y, z, w``."""
    return np.asarray(quaternions)[..., [1, 2, 3, 0]]


def poses(positions: np.ndarray, quaternions_xyzw: np.ndarray) -> np.ndarray:
    """``[..., 7]`` poses from ``[..., 3]`` positions and ``[..., 4]`` x,y,z,w quaternions."""
    return np.concatenate([np.asarray(positions, dtype=np.float64),
                           np.asarray(quaternions_xyzw, dtype=np.float64)], axis=-1)


def rotate(quaternions_xyzw: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """Rotates ``[..., 3]`` vectors by ``[..., 4]`` unit x,y,z,w quaternions (broadcasting)."""
    q = np.asarray(quaternions_xyzw, dtype=np.float64)
    v = np.asarray(vectors, dtype=np.float64)
    u, w = q[..., :3], q[..., 3:4]
    t = 2.0 * np.cross(u, v)
    return v + w * t + np.cross(u, t)


def compose(parent: np.ndarray, child: np.ndarray) -> np.ndarray:
    """``parent ∘ child`` for ``[..., 7]`` poses: the child's pose expressed in the parent's frame."""
    parent, child = np.asarray(parent, dtype=np.float64), np.asarray(child, dtype=np.float64)
    x1, y1, z1, w1 = np.moveaxis(parent[..., 3:], -1, 0)
    x2, y2, z2, w2 = np.moveaxis(child[..., 3:], -1, 0)
    q = np.stack([w1 * x2 + x1 * w2 + y1 * z2 - z1 * y2,
                  w1 * y2 - x1 * z2 + y1 * w2 + z1 * x2,
                  w1 * z2 + x1 * y2 - y1 * x2 + z1 * w2,
                  w1 * w2 - x1 * x2 - y1 * y2 - z1 * z2], axis=-1)
    return np.concatenate([parent[..., :3] + rotate(parent[..., 3:], child[..., :3]), q], axis=-1)
