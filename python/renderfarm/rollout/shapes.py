"""The scene of a rollout: shapes attached to bodies, triangle meshes and the task's viewer.

Conventions are the farm's (docs/ROLLOUT.md): Z up; poses are ``[px, py, pz, qx, qy, qz, qw]``;
body ``-1`` is the world (a static shape); sizes follow Newton (half extents, half heights along
the shape's local Z); a plane's ``size`` is its full width and length (0 = infinite); colours
are sRGB in 0..1.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Sequence

import numpy as np

from .assets import Asset, checked_env_origins
from .errors import RolloutError
from .values import as_float, as_float3, as_floats, as_int

SHAPE_TYPES = ("box", "sphere", "capsule", "cylinder", "cone", "ellipsoid", "plane", "mesh")
IDENTITY: tuple[float, ...] = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0)
ORIGIN_TYPES = ("world", "env", "asset_root", "asset_body")

# The size fields each type requires; ``size`` (plane) and ``scale`` (mesh) are optional.
_SIZE_FIELDS = {
    "box": ("half_extents",), "sphere": ("radius",), "capsule": ("radius", "half_height"),
    "cylinder": ("radius", "half_height"), "cone": ("radius", "half_height"), "ellipsoid": ("radii",),
    "plane": (), "mesh": ("mesh",),
}


def normalized_pose(values: Any, field: str) -> tuple[float, ...]:
    """Seven finite numbers with the quaternion normalised; a zero quaternion is refused."""
    pose = np.asarray(as_floats(values, 7, field))
    norm = float(np.linalg.norm(pose[3:]))
    if norm < 1e-6:
        raise RolloutError("has a zero quaternion (qx, qy, qz, qw); a rotation needs a unit quaternion", field=field)
    pose[3:] /= norm
    return tuple(float(x) for x in pose)


def _color(value: Any, field: str) -> tuple[float, float, float]:
    rgb = as_float3(value, field)
    if any(c < 0 or c > 1 for c in rgb):
        raise RolloutError(f"is {list(rgb)}; colours are sRGB components in 0..1 (divide 0-255 values by 255)",
                           field=field)
    return rgb


def _positive(value: Any, field: str) -> float:
    result = as_float(value, field)
    if result <= 0:
        raise RolloutError(f"must be positive, got {result}", field=field)
    return result


def _positive3(value: Any, field: str) -> tuple[float, float, float]:
    result = as_float3(value, field)
    if any(x <= 0 for x in result):
        raise RolloutError(f"must have positive components, got {list(result)}", field=field)
    return result


_JSON_FIELDS = ("type", "body", "transform", "color", "half_extents", "radius", "half_height", "radii", "size",
                "mesh", "scale")


@dataclass(frozen=True)
class Shape:
    """One shape on a body (or static in the world when ``body == -1``), local ``transform``.

    Build with the per-type constructors (``Shape.box(...)``, ``Shape.sphere(...)``, ...); values
    are converted to Python floats and checked on construction, the quaternion normalised.
    """

    type: str
    body: int = -1
    transform: tuple[float, ...] = IDENTITY
    color: tuple[float, float, float] | None = None
    half_extents: tuple[float, float, float] | None = None
    radius: float | None = None
    half_height: float | None = None
    radii: tuple[float, float, float] | None = None
    size: tuple[float, float] | None = None
    mesh: int | None = None
    scale: tuple[float, float, float] | None = None

    def __post_init__(self) -> None:
        self._checked("shape")

    def _checked(self, where: str) -> None:
        if self.type not in SHAPE_TYPES:
            raise RolloutError(f"is {self.type!r}, not one of {', '.join(SHAPE_TYPES)}", field=f"{where}.type")
        put = object.__setattr__
        put(self, "body", as_int(self.body, f"{where}.body"))
        if self.body < -1:
            raise RolloutError(f"is {self.body}; -1 is the world, bodies count from 0", field=f"{where}.body")
        put(self, "transform", normalized_pose(self.transform, f"{where}.transform"))
        if self.color is not None:
            put(self, "color", _color(self.color, f"{where}.color"))
        for name in _SIZE_FIELDS[self.type]:
            if getattr(self, name) is None:
                raise RolloutError(f"a {self.type} needs {name}", field=f"{where}.{name}")
        for name in ("radius", "half_height"):
            if getattr(self, name) is not None:
                put(self, name, _positive(getattr(self, name), f"{where}.{name}"))
        for name in ("half_extents", "radii", "scale"):
            if getattr(self, name) is not None:
                put(self, name, _positive3(getattr(self, name), f"{where}.{name}"))
        if self.size is not None:
            size = as_floats(self.size, 2, f"{where}.size")
            if any(s < 0 for s in size):
                raise RolloutError(f"is {list(size)}; plane sizes are full width and length >= 0 (0 = infinite)",
                                   field=f"{where}.size")
            put(self, "size", size)
        if self.mesh is not None:
            put(self, "mesh", as_int(self.mesh, f"{where}.mesh"))

    # Per-type constructors, Newton's parameters.
    @classmethod
    def box(cls, half_extents: Any, **common: Any) -> Shape:
        return cls("box", half_extents=half_extents, **common)

    @classmethod
    def sphere(cls, radius: Any, **common: Any) -> Shape:
        return cls("sphere", radius=radius, **common)

    @classmethod
    def capsule(cls, radius: Any, half_height: Any, **common: Any) -> Shape:
        return cls("capsule", radius=radius, half_height=half_height, **common)

    @classmethod
    def cylinder(cls, radius: Any, half_height: Any, **common: Any) -> Shape:
        return cls("cylinder", radius=radius, half_height=half_height, **common)

    @classmethod
    def cone(cls, radius: Any, half_height: Any, **common: Any) -> Shape:
        return cls("cone", radius=radius, half_height=half_height, **common)

    @classmethod
    def ellipsoid(cls, radii: Any, **common: Any) -> Shape:
        return cls("ellipsoid", radii=radii, **common)

    @classmethod
    def plane(cls, width: Any = 0.0, length: Any = 0.0, **common: Any) -> Shape:
        return cls("plane", size=(width, length), **common)

    @classmethod
    def mesh_instance(cls, mesh: int, scale: Any = (1.0, 1.0, 1.0), **common: Any) -> Shape:
        return cls("mesh", mesh=mesh, scale=scale, **common)

    def with_body(self, body: int) -> Shape:
        return replace(self, body=body)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "body": self.body, "transform": list(self.transform)}
        if self.color is not None:
            out["color"] = list(self.color)
        for name in ("half_extents", "radius", "half_height", "radii", "size", "mesh", "scale"):
            value = getattr(self, name)
            if value is not None:
                out[name] = list(value) if isinstance(value, tuple) else value
        return out

    @classmethod
    def from_json(cls, obj: Any, where: str) -> Shape:
        """A shape from its header object; errors name ``where`` (``shapes[3]``)."""
        if not isinstance(obj, dict):
            raise RolloutError("must be an object", field=where)
        for key in ("type", "body"):
            if key not in obj:
                raise RolloutError("is missing", field=f"{where}.{key}")
        try:
            return cls(**{key: value for key, value in obj.items() if key in _JSON_FIELDS and value is not None})
        except RolloutError as error:
            raise error.within(where, "shape") from None


@dataclass(frozen=True, eq=False)
class Mesh:
    """A triangle mesh: ``vertices`` float32 ``[n, 3]``, ``indices`` uint32 ``[m, 3]`` into them."""

    vertices: np.ndarray
    indices: np.ndarray

    def __post_init__(self) -> None:
        self._checked("mesh")

    def _checked(self, where: str) -> None:
        vertices = np.asarray(self.vertices)
        if vertices.ndim != 2 or vertices.shape[1] != 3 or vertices.shape[0] < 3:
            raise RolloutError(f"must be [n >= 3, 3] xyz positions, got shape {vertices.shape}",
                               field=f"{where}.vertices")
        with np.errstate(over="ignore", invalid="ignore"):
            vertices = np.ascontiguousarray(vertices, dtype="<f4")
        if not np.isfinite(vertices).all():
            raise RolloutError("has NaN or infinite (or float32-overflowing) coordinates", field=f"{where}.vertices")
        indices = np.asarray(self.indices)
        if indices.size < 3 or indices.size % 3 or not np.issubdtype(indices.dtype, np.integer):
            raise RolloutError(f"must be whole triangles of integer indices, got {indices.size} of {indices.dtype}",
                               field=f"{where}.indices")
        if indices.min() < 0 or indices.max() >= len(vertices):
            raise RolloutError(f"index range {indices.min()}..{indices.max()} is outside the {len(vertices)} vertices",
                               field=f"{where}.indices")
        object.__setattr__(self, "vertices", vertices)
        object.__setattr__(self, "indices", np.ascontiguousarray(indices.reshape(-1, 3), dtype="<u4"))

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Mesh) and np.array_equal(self.vertices, other.vertices)
                and np.array_equal(self.indices, other.indices))

    __hash__ = None  # type: ignore[assignment]


#: Degrees a viewer's ``vertical_fov`` may take (the farm's RolloutHeader.Viewer.verticalFOVRange).
VERTICAL_FOV_RANGE = (1.0, 179.0)
#: A viewer's colour fields, sRGB 0..1, in the order ``Viewer`` declares them.
VIEWER_COLORS = ("background_color", "sky_upper_color", "sky_lower_color")


@dataclass(frozen=True)
class Viewer:
    """The task's viewer (Isaac Lab ``ViewerCfg``): ``eye``/``lookat`` relative to ``origin_type``, of env
    ``env_index``; ``asset_name`` (and ``body_name`` for ``asset_body``) name one of the scene's assets.
    ``vertical_fov`` (degrees), ``background_color`` (sRGB 0..1, a flat background instead of the
    sky) and ``sky_upper_color``/``sky_lower_color`` (the sky at the zenith and the horizon, which
    distant shapes fog towards) film the clip through that viewer's lens and on its background; None
    keeps the farm's."""

    eye: tuple[float, float, float]
    lookat: tuple[float, float, float]
    origin_type: str = "world"
    env_index: int = 0
    asset_name: str | None = None
    body_name: str | None = None
    vertical_fov: float | None = None
    background_color: tuple[float, float, float] | None = None
    sky_upper_color: tuple[float, float, float] | None = None
    sky_lower_color: tuple[float, float, float] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "eye", as_floats(self.eye, 3, "viewer.eye"))
        object.__setattr__(self, "lookat", as_floats(self.lookat, 3, "viewer.lookat"))
        if self.origin_type not in ORIGIN_TYPES:
            raise RolloutError(f"is {self.origin_type!r}, not one of {', '.join(ORIGIN_TYPES)}",
                               field="viewer.origin_type")
        object.__setattr__(self, "env_index", as_int(self.env_index, "viewer.env_index"))
        if self.env_index < 0:
            raise RolloutError(f"is {self.env_index}; envs count from 0", field="viewer.env_index")
        for name in ("asset_name", "body_name"):
            if getattr(self, name) is not None and not isinstance(getattr(self, name), str):
                raise RolloutError(f"must be a string, got {getattr(self, name)!r}", field=f"viewer.{name}")
        if self.vertical_fov is not None:
            fov = as_floats([self.vertical_fov], 1, "viewer.vertical_fov")[0]
            if not VERTICAL_FOV_RANGE[0] <= fov <= VERTICAL_FOV_RANGE[1]:
                raise RolloutError(f"is {fov}°; expected {VERTICAL_FOV_RANGE[0]}..{VERTICAL_FOV_RANGE[1]} degrees",
                                   field="viewer.vertical_fov")
            object.__setattr__(self, "vertical_fov", fov)
        for name in VIEWER_COLORS:
            if getattr(self, name) is not None:
                color = as_floats(getattr(self, name), 3, f"viewer.{name}")
                if not all(0 <= c <= 1 for c in color):
                    raise RolloutError(f"is {list(color)}; expected three sRGB components in 0..1", field=f"viewer.{name}")
                object.__setattr__(self, name, color)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"eye": list(self.eye), "lookat": list(self.lookat), "origin_type": self.origin_type}
        # Defaults stay out, as the farm writes them.
        if self.env_index:
            out["env_index"] = self.env_index
        for name in ("asset_name", "body_name", "vertical_fov"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        for name in VIEWER_COLORS:
            if getattr(self, name) is not None:
                out[name] = list(getattr(self, name))
        return out

    @classmethod
    def from_json(cls, obj: Any) -> Viewer:
        if not isinstance(obj, dict):
            raise RolloutError("must be an object", field="viewer")
        for key in ("eye", "lookat"):
            if obj.get(key) is None:
                raise RolloutError("is missing", field=f"viewer.{key}")
        return cls(obj["eye"], obj["lookat"], obj.get("origin_type", "world"), obj.get("env_index", 0),
                   obj.get("asset_name"), obj.get("body_name"), obj.get("vertical_fov"),
                   *(obj.get(name) for name in VIEWER_COLORS))


@dataclass(frozen=True)
class Scene:
    """Everything of a rollout but its motion: ``num_bodies`` poses per step drive ``shapes``.

    ``assets`` name bodies a camera can follow; ``env_origins`` (one ``[x, y, z]`` per env) are the
    envs' origins, else the farm places envs on Isaac Lab's grid from ``num_envs`` and ``env_spacing``.
    """

    shapes: Sequence[Shape]
    num_bodies: int
    meshes: Sequence[Mesh] = field(default_factory=tuple)
    num_envs: int = 1
    env_spacing: float = 0.0
    viewer: Viewer | None = None
    assets: Sequence[Asset] = field(default_factory=tuple)
    env_origins: Sequence[Any] | np.ndarray | None = None

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "shapes", tuple(self.shapes))
        put(self, "meshes", tuple(self.meshes))
        put(self, "num_bodies", as_int(self.num_bodies, "num_bodies"))
        put(self, "num_envs", as_int(self.num_envs, "num_envs"))
        put(self, "env_spacing", as_float(self.env_spacing, "env_spacing"))
        if self.num_bodies < 0:
            raise RolloutError(f"must be >= 0, got {self.num_bodies}", field="num_bodies")
        if self.num_envs < 1:
            raise RolloutError(f"must be >= 1, got {self.num_envs}", field="num_envs")
        for i, shape in enumerate(self.shapes):
            if not isinstance(shape, Shape):
                raise RolloutError(f"must be a Shape, got {type(shape).__name__}", field=f"shapes[{i}]")
            if shape.body >= self.num_bodies:
                raise RolloutError(f"is {shape.body}; must be -1 (static) or 0..{self.num_bodies - 1}",
                                   field=f"shapes[{i}].body")
            if shape.mesh is not None and not 0 <= shape.mesh < len(self.meshes):
                raise RolloutError(f"is {shape.mesh}; the scene has {len(self.meshes)} meshes",
                                   field=f"shapes[{i}].mesh")
        for i, mesh in enumerate(self.meshes):
            if not isinstance(mesh, Mesh):
                raise RolloutError(f"must be a Mesh, got {type(mesh).__name__}", field=f"meshes[{i}]")
        put(self, "assets", tuple(self.assets))
        names: set[str] = set()
        for i, asset in enumerate(self.assets):
            if not isinstance(asset, Asset):
                raise RolloutError(f"must be an Asset, got {type(asset).__name__}", field=f"assets[{i}]")
            if asset.name in names:
                raise RolloutError(f"repeats {asset.name!r}; asset names must be unique", field=f"assets[{i}].name")
            names.add(asset.name)
            asset.checked_against(self.num_bodies, self.num_envs, f"assets[{i}]")
        if self.env_origins is not None:
            put(self, "env_origins", checked_env_origins(self.env_origins, self.num_envs))
        if self.viewer is not None and self.viewer.env_index >= self.num_envs:
            raise RolloutError(f"is {self.viewer.env_index}; envs are 0..{self.num_envs - 1}", field="viewer.env_index")

    def asset(self, name: str) -> Asset:
        """The asset named ``name``; a KeyError lists the scene's assets."""
        for asset in self.assets:
            if asset.name == name:
                return asset
        raise KeyError(f"no asset {name!r}; the scene has {', '.join(repr(a.name) for a in self.assets) or 'none'}")
