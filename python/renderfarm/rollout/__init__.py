"""FARMRLT1 rollout files (docs/ROLLOUT.md): scene types, writers and readers, vectorised with numpy.

A rollout is a :class:`Scene` (shapes on bodies, meshes, viewer) and body poses per env step,
``body_q`` ``[steps, num_bodies, 7]`` = ``px py pz qx qy qz qw`` (quaternion x, y, z, w; body -1
is the world). Everything the farm would refuse raises :class:`RolloutError` naming the field,
step and body.
"""

from .assets import Asset
from .body_q import COMPONENTS, checked_body_q
from .errors import RolloutError
from .header import MAGIC, VERSION
from .reader import Rollout, RolloutFile, decode_rollout, read_rollout
from .shapes import IDENTITY, SHAPE_TYPES, Mesh, Scene, Shape, Viewer
from .writer import RolloutWriter, SceneEncoder, encode_rollout, write_rollout

__all__ = [
    "COMPONENTS", "IDENTITY", "Asset", "MAGIC", "SHAPE_TYPES", "VERSION", "Mesh", "Rollout", "RolloutError", "RolloutFile",
    "RolloutWriter", "Scene", "SceneEncoder", "Shape", "Viewer", "checked_body_q", "decode_rollout", "encode_rollout",
    "read_rollout", "write_rollout",
]
