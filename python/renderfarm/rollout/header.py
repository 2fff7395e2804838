"""The JSON header of a rollout file, written and parsed with the same field checks as the farm."""

from __future__ import annotations

import json
from typing import Any, Sequence

from .errors import RolloutError
from .shapes import Mesh, Scene, Shape, Viewer
from .values import as_float, as_floats, as_int

MAGIC = b"FARMRLT1"
VERSION = 1
PREAMBLE_BYTES = 16
BYTES_PER_POSE = 28
MAX_HEADER_BYTES = 256 << 20


def camera_track_json(camera_track: Sequence[Any] | None, steps: int) -> list[dict[str, list[float]]] | None:
    """One ``{"eye", "lookat"}`` per step from ``(eye, lookat)`` pairs or dicts, or ``None``."""
    if camera_track is None:
        return None
    track = list(camera_track)
    if len(track) != steps:
        raise RolloutError(f"has {len(track)} entries; expected one per step ({steps})", field="camera_track")
    out = []
    for i, entry in enumerate(track):
        try:
            eye, lookat = (entry["eye"], entry["lookat"]) if isinstance(entry, dict) else entry
        except (KeyError, TypeError, ValueError):
            raise RolloutError("must be {\"eye\": [x,y,z], \"lookat\": [x,y,z]} or an (eye, lookat) pair",
                               field=f"camera_track[{i}]") from None
        out.append({"eye": list(as_floats(eye, 3, f"camera_track[{i}].eye")),
                    "lookat": list(as_floats(lookat, 3, f"camera_track[{i}].lookat"))})
    return out


def mesh_locations(meshes: Sequence[Mesh]) -> list[dict[str, int]]:
    """Blob offsets of each mesh's vertices then indices, packed in order (all multiples of 4)."""
    locations, offset = [], 0
    for mesh in meshes:
        vertices_offset = offset
        offset += mesh.vertices.nbytes
        locations.append({"vertices_offset": vertices_offset, "vertex_count": len(mesh.vertices),
                          "indices_offset": offset, "index_count": mesh.indices.size})
        offset += mesh.indices.nbytes
    return locations


def header_json(scene: Scene, *, step_dt: Any, first_step: Any, steps: int,
                camera_track: Sequence[Any] | None = None) -> dict[str, Any]:
    step_dt = as_float(step_dt, "step_dt")
    if step_dt <= 0:
        raise RolloutError(f"must be positive, got {step_dt}", field="step_dt")
    first_step = as_int(first_step, "first_step")
    if first_step < 0:
        raise RolloutError(f"must be >= 0, got {first_step}", field="first_step")
    header: dict[str, Any] = {
        "version": VERSION, "up_axis": "z", "step_dt": step_dt, "first_step": first_step, "steps": steps,
        "num_bodies": scene.num_bodies, "num_envs": scene.num_envs, "env_spacing": scene.env_spacing,
        "shapes": [shape.to_json() for shape in scene.shapes],
    }
    if scene.viewer is not None:
        header["viewer"] = scene.viewer.to_json()
    if scene.assets:
        header["assets"] = [asset.to_json() for asset in scene.assets]
    if scene.env_origins is not None:
        header["env_origins"] = [list(origin) for origin in scene.env_origins]
    track = camera_track_json(camera_track, steps)
    if track is not None:
        header["camera_track"] = track
    if scene.meshes:
        header["meshes"] = mesh_locations(scene.meshes)
    return header


def encode_header(header: dict[str, Any]) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":"), allow_nan=False).encode()


def _require(obj: dict[str, Any], key: str, where: str = "") -> Any:
    if obj.get(key) is None:
        raise RolloutError("is missing", field=f"{where}{key}")
    return obj[key]


def parse_header(data: bytes) -> tuple[dict[str, Any], list[Shape], Viewer | None, list[dict[str, int]]]:
    """The raw header, its shapes, viewer and mesh locations; every field checked as the farm does."""
    try:
        header = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RolloutError(f"is not valid UTF-8 JSON ({error})", field="header") from None
    if not isinstance(header, dict):
        raise RolloutError("is not a JSON object", field="header")
    version = as_int(_require(header, "version"), "version")
    if version != VERSION:
        raise RolloutError(f"is {version}; this package reads version {VERSION}", field="version")
    if str(header.get("up_axis", "z")).lower() != "z":
        raise RolloutError(f"is {header['up_axis']!r}; only \"z\" is supported", field="up_axis")
    if as_float(_require(header, "step_dt"), "step_dt") <= 0:
        raise RolloutError("must be positive", field="step_dt")
    if as_int(_require(header, "first_step"), "first_step") < 0:
        raise RolloutError("must be >= 0", field="first_step")
    if as_int(_require(header, "steps"), "steps") < 1:
        raise RolloutError("must be >= 1", field="steps")
    if as_int(_require(header, "num_bodies"), "num_bodies") < 0:
        raise RolloutError("must be >= 0", field="num_bodies")
    locations = header.get("meshes") or []
    if not isinstance(locations, list):
        raise RolloutError("must be an array", field="meshes")
    for i, location in enumerate(locations):
        if not isinstance(location, dict):
            raise RolloutError("must be an object", field=f"meshes[{i}]")
        for key in ("vertices_offset", "vertex_count", "indices_offset", "index_count"):
            value = as_int(_require(location, key, f"meshes[{i}]."), f"meshes[{i}].{key}")
            if value < 0 or (key.endswith("offset") and value % 4):
                raise RolloutError(f"is {value}; must be a non-negative multiple of 4" if key.endswith("offset")
                                   else f"is {value}; must be >= 0", field=f"meshes[{i}].{key}")
    shapes = _require(header, "shapes")
    if not isinstance(shapes, list):
        raise RolloutError("must be an array", field="shapes")
    viewer = Viewer.from_json(header["viewer"]) if header.get("viewer") is not None else None
    camera_track_json(header.get("camera_track"), header["steps"])
    parsed = [Shape.from_json(shape, f"shapes[{i}]") for i, shape in enumerate(shapes)]
    for i, shape in enumerate(parsed):
        if shape.mesh is not None and shape.mesh >= len(locations):
            raise RolloutError(f"is {shape.mesh}; the header lists {len(locations)} meshes", field=f"shapes[{i}].mesh")
    return header, parsed, viewer, locations
