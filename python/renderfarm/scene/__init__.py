"""Scene export from the engines themselves, and vectorised runs with frustum culling.

- MuJoCo: :func:`from_mujoco` (``MjModel``) and :func:`mujoco_body_poses` (``MjModel, MjData``).
- Newton: :func:`from_newton` (``newton.Model``) and :func:`newton_body_poses` (``state.body_q``).
- Many envs: :func:`replicate` + :func:`place_body_q` on :func:`grid_origins` (Isaac Lab's grid),
  and :func:`cull_envs` to keep only the envs a :class:`Camera` can see.

Engine modules are imported on first use, so the package needs neither engine installed.
"""

from .errors import SceneExportError
from .frustum import Camera
from .mujoco import DEFAULT_VISIBLE_GROUPS, from_mujoco, mujoco_assets, mujoco_body_poses, mujoco_geom_colors
from .newton import (exported_shapes, from_newton, newton_assets, newton_body_poses, newton_body_worlds,
                     newton_shape_worlds)
from .vector import CulledScene, cull_envs, env_bounds, grid_origins, place_body_q, replicate, shape_radius

__all__ = [
    "DEFAULT_VISIBLE_GROUPS", "Camera", "CulledScene", "SceneExportError", "cull_envs", "env_bounds",
    "exported_shapes", "from_mujoco", "from_newton", "grid_origins", "mujoco_assets", "mujoco_body_poses",
    "mujoco_geom_colors", "newton_assets", "newton_body_poses", "newton_body_worlds", "newton_shape_worlds",
    "place_body_q", "replicate", "shape_radius",
]
