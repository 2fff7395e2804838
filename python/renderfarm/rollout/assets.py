"""Named assets of a rollout's scene and the env origins, for cameras with an origin (docs/ROLLOUT.md).

An :class:`Asset` is Isaac Lab's articulation or rigid object (``scene["robot"]``): its bodies' names
and, per env, the body_q rows holding them; the first body is the root (``root_pos_w``). A viewer with
``origin_type="asset_root"``/``"asset_body"`` follows one of them; ``"env"`` sits at an env's origin.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Sequence
from typing import Any

import numpy as np

from .errors import RolloutError
from .values import as_float3, as_int


def _int_rows(value: Any, width: int, field: str) -> tuple[tuple[int, ...], ...]:
    """Integer rows, each ``width`` long, from nested sequences or a 2-D integer array."""
    if isinstance(value, np.ndarray):
        if not np.issubdtype(value.dtype, np.integer) or value.ndim != 2:
            raise RolloutError(f"must be a 2-D array of integers, got {value.dtype} of shape {value.shape}", field=field)
        if value.shape[1] != width:
            raise RolloutError(f"has {value.shape[1]} rows per env; body_names has {width}", field=f"{field}[0]")
        return tuple(map(tuple, value.tolist()))
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__"):
        raise RolloutError(f"must be an array of integer arrays, got {value!r}", field=field)
    rows = []
    for e, entry in enumerate(value):
        if isinstance(entry, (str, bytes)) or not hasattr(entry, "__len__"):
            raise RolloutError(f"must be an array of integers, got {entry!r}", field=f"{field}[{e}]")
        if len(entry) != width:
            raise RolloutError(f"has {len(entry)} rows; body_names has {width}", field=f"{field}[{e}]")
        rows.append(tuple(as_int(row, f"{field}[{e}][{k}]") for k, row in enumerate(entry)))
    return tuple(rows)


@dataclass(frozen=True)
class Asset:
    """A named asset: ``body_names`` (root first) and ``env_bodies[e][k]``, the body_q row of body ``k``
    in env ``e``. With ``env_stride``, ``env_bodies`` holds env 0 only and env ``e``'s rows are env 0's
    plus ``e * env_stride``, for every env of the scene (the compact form of a replicated scene)."""

    name: str
    #: Any sequence when made; a tuple once checked.
    body_names: Sequence[str]
    env_bodies: Sequence[Sequence[int]]
    env_stride: int | None = None

    def __post_init__(self) -> None:
        self._checked("asset")

    def _checked(self, where: str) -> None:
        put = object.__setattr__
        if not isinstance(self.name, str) or not self.name:
            raise RolloutError(f"must be a non-empty string, got {self.name!r}", field=f"{where}.name")
        names = tuple(self.body_names) if not isinstance(self.body_names, str) else (self.body_names,)
        if not names:
            raise RolloutError("must name at least the root body", field=f"{where}.body_names")
        seen: set[str] = set()
        for k, body in enumerate(names):
            if not isinstance(body, str):
                raise RolloutError(f"must be a string, got {body!r}", field=f"{where}.body_names[{k}]")
            if body in seen:
                raise RolloutError(f"repeats {body!r}; body names within an asset must be unique",
                                   field=f"{where}.body_names[{k}]")
            seen.add(body)
        put(self, "body_names", names)
        rows = _int_rows(self.env_bodies, len(names), f"{where}.env_bodies")
        if not rows:
            raise RolloutError("must hold the rows of at least env 0", field=f"{where}.env_bodies")
        put(self, "env_bodies", rows)
        if self.env_stride is not None:
            stride = as_int(self.env_stride, f"{where}.env_stride")
            if not 1 <= stride <= 1 << 24:
                raise RolloutError(f"must be 1...{1 << 24}, got {stride}", field=f"{where}.env_stride")
            if len(rows) != 1:
                raise RolloutError(f"holds {len(rows)} envs; with env_stride it holds env 0's rows only",
                                   field=f"{where}.env_bodies")
            put(self, "env_stride", stride)

    @classmethod
    def strided(cls, name: str, body_names: Any, env0_rows: Any, env_stride: int) -> Asset:
        """An asset whose env ``e`` rows are ``env0_rows`` plus ``e * env_stride``."""
        return cls(name, tuple(body_names), (tuple(env0_rows),), env_stride)

    def env_count(self, num_envs: int) -> int:
        """Envs the asset has rows for, in a scene of ``num_envs`` envs."""
        return num_envs if self.env_stride is not None else len(self.env_bodies)

    def rows(self, env: int) -> tuple[int, ...]:
        """The body_q rows of the asset's bodies in env ``env``."""
        if self.env_stride is not None:
            return tuple(row + env * self.env_stride for row in self.env_bodies[0])
        return tuple(self.env_bodies[env])

    def checked_against(self, num_bodies: int, num_envs: int, where: str) -> None:
        """Every row within ``0..num_bodies-1`` and at most ``num_envs`` envs, as the farm checks."""
        if self.env_stride is None:
            if len(self.env_bodies) > num_envs:
                raise RolloutError(f"holds {len(self.env_bodies)} envs; the rollout has num_envs {num_envs}",
                                   field=f"{where}.env_bodies")
            checked = enumerate(self.env_bodies)
        else:
            checked = enumerate(self.env_bodies[:1])
        for e, rows in checked:
            for k, row in enumerate(rows):
                if not 0 <= row < num_bodies:
                    raise RolloutError(f"is {row}; body_q rows are 0..{num_bodies - 1}",
                                       field=f"{where}.env_bodies[{e}][{k}]")
        if self.env_stride is not None:
            for k, row in enumerate(self.rows(num_envs - 1)):
                if row >= num_bodies:
                    raise RolloutError(f"is {self.env_stride}: body {k} of env {num_envs - 1} would be row {row}, "
                                       f"past the {num_bodies} bodies", field=f"{where}.env_stride")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "body_names": list(self.body_names),
                               "env_bodies": [list(rows) for rows in self.env_bodies]}
        if self.env_stride is not None:
            out["env_stride"] = self.env_stride
        return out

    @classmethod
    def from_json(cls, obj: Any, where: str) -> Asset:
        if not isinstance(obj, dict):
            raise RolloutError("must be an object", field=where)
        for key in ("name", "body_names", "env_bodies"):
            if obj.get(key) is None:
                raise RolloutError("is missing", field=f"{where}.{key}")
        if not isinstance(obj["body_names"], list):
            raise RolloutError("must be an array of strings", field=f"{where}.body_names")
        try:
            return cls(obj["name"], tuple(obj["body_names"]), obj["env_bodies"], obj.get("env_stride"))
        except RolloutError as error:
            raise error.within(where, "asset") from None


def checked_env_origins(value: Any, num_envs: int) -> tuple[tuple[float, float, float], ...]:
    """One finite ``[x, y, z]`` per env (Isaac Lab's ``scene.env_origins``)."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__"):
        raise RolloutError(f"must be [num_envs, 3] numbers, got {value!r}", field="env_origins")
    if len(value) != num_envs:
        raise RolloutError(f"has {len(value)} entries; expected one per env (num_envs {num_envs})", field="env_origins")
    return tuple(as_float3(origin, f"env_origins[{e}]") for e, origin in enumerate(value))
