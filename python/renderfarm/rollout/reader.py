"""Readers of rollout files: whole files or bytes, and ranges of steps without loading the rest."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .body_q import require_finite
from .errors import RolloutError
from .header import BYTES_PER_POSE, MAGIC, MAX_HEADER_BYTES, PREAMBLE_BYTES, parse_header
from .assets import Asset
from .shapes import Mesh, Scene, Shape, Viewer


@dataclass(frozen=True, eq=False)
class Rollout:
    """A rollout in memory: its scene, timing and ``body_q`` ``[steps, num_bodies, 7]`` float32 rows
    (px py pz qx qy qz qw) for env steps ``first_step .. first_step + steps - 1``."""

    scene: Scene
    step_dt: float
    first_step: int
    body_q: np.ndarray
    camera_track: list[dict[str, list[float]]] | None = None

    @property
    def steps(self) -> int:
        return len(self.body_q)

    @property
    def num_bodies(self) -> int:
        return self.scene.num_bodies

    @property
    def num_envs(self) -> int:
        return self.scene.num_envs

    @property
    def env_spacing(self) -> float:
        return self.scene.env_spacing

    @property
    def viewer(self) -> Viewer | None:
        return self.scene.viewer

    @property
    def shapes(self) -> tuple[Shape, ...]:
        return tuple(self.scene.shapes)

    @property
    def meshes(self) -> tuple[Mesh, ...]:
        return tuple(self.scene.meshes)

    @property
    def step_range(self) -> range:
        return range(self.first_step, self.first_step + self.steps)


class RolloutFile:
    """A rollout file on disk. Opening checks the preamble, header and file size and reads the
    meshes; ``body_q(start, stop)`` reads only the rows of those env steps."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        try:
            with open(self.path, "rb") as f:
                size = os.fstat(f.fileno()).st_size
                preamble = f.read(PREAMBLE_BYTES)
                header_length = _header_length(preamble)
                header_bytes = f.read(header_length)
                if len(header_bytes) != header_length:
                    raise RolloutError(f"is cut short: {len(header_bytes)} of {header_length} bytes", field="header")
                self.header, shapes, viewer, locations = parse_header(header_bytes)
                self._body_offset = PREAMBLE_BYTES + header_length
                blob_start = _check_size(self.header, locations, self._body_offset, size)
                meshes = [_read_mesh(f, blob_start, location, i) for i, location in enumerate(locations)]
        except OSError as error:
            raise RolloutError(f"cannot be read: {error.strerror or error}", field=str(self.path)) from None
        self.scene = _scene(self.header, shapes, viewer, meshes)
        self.step_dt = float(self.header["step_dt"])
        self.first_step = int(self.header["first_step"])
        self.steps = int(self.header["steps"])
        self.camera_track = self.header.get("camera_track")

    @property
    def step_range(self) -> range:
        return range(self.first_step, self.first_step + self.steps)

    def body_q(self, start: int | None = None, stop: int | None = None) -> np.ndarray:
        """Rows of env steps ``start .. stop - 1`` (default: all) as float32 ``[n, num_bodies, 7]``."""
        start = self.first_step if start is None else int(start)
        stop = self.first_step + self.steps if stop is None else int(stop)
        if not self.first_step <= start <= stop <= self.first_step + self.steps or start == stop:
            raise RolloutError(f"the file holds env steps {self.first_step}..{self.first_step + self.steps - 1}; "
                               f"{start}..{stop - 1} were asked for", field="steps")
        bodies = self.scene.num_bodies
        rows = np.fromfile(self.path, dtype="<f4", count=(stop - start) * bodies * 7,
                           offset=self._body_offset + (start - self.first_step) * bodies * BYTES_PER_POSE)
        rows = rows.reshape(stop - start, bodies, 7).astype(np.float32)
        require_finite(rows, start)
        return rows

    def read(self, start: int | None = None, stop: int | None = None) -> Rollout:
        rows = self.body_q(start, stop)
        first = self.first_step if start is None else int(start)
        track = self.camera_track
        if track is not None:
            track = track[first - self.first_step:first - self.first_step + len(rows)]
        return Rollout(self.scene, self.step_dt, first, rows, track)


def read_rollout(path: str | os.PathLike[str], start: int | None = None, stop: int | None = None) -> Rollout:
    """Reads a rollout file (or its env steps ``start .. stop - 1``)."""
    return RolloutFile(path).read(start, stop)


def decode_rollout(data: bytes) -> Rollout:
    """Parses the bytes of a rollout file (as ``encode_rollout`` returns them)."""
    view = memoryview(data)
    header_length = _header_length(bytes(view[:PREAMBLE_BYTES]))
    body_offset = PREAMBLE_BYTES + header_length
    if len(view) < body_offset:
        raise RolloutError(f"is cut short: {max(0, len(view) - PREAMBLE_BYTES)} of {header_length} bytes",
                           field="header")
    header, shapes, viewer, locations = parse_header(bytes(view[PREAMBLE_BYTES:body_offset]))
    blob_start = _check_size(header, locations, body_offset, len(view))
    meshes = []
    for i, location in enumerate(locations):
        vertices = np.frombuffer(view, "<f4", location["vertex_count"] * 3, blob_start + location["vertices_offset"])
        indices = np.frombuffer(view, "<u4", location["index_count"], blob_start + location["indices_offset"])
        meshes.append(_mesh(vertices, indices, i))
    scene = _scene(header, shapes, viewer, meshes)
    steps, bodies = int(header["steps"]), scene.num_bodies
    rows = np.frombuffer(view, "<f4", steps * bodies * 7, body_offset).reshape(steps, bodies, 7).astype(np.float32)
    require_finite(rows, int(header["first_step"]))
    return Rollout(scene, float(header["step_dt"]), int(header["first_step"]), rows, header.get("camera_track"))


def _header_length(preamble: bytes) -> int:
    if len(preamble) < PREAMBLE_BYTES or preamble[:8] != MAGIC:
        raise RolloutError(f"bytes 0..7 are {preamble[:8]!r}, expected {MAGIC!r}: not a rollout file",
                           field="magic")
    length = int.from_bytes(preamble[8:16], "little")
    if not 1 <= length <= MAX_HEADER_BYTES:
        raise RolloutError(f"is {length}; must be 1..{MAX_HEADER_BYTES}", field="header length (bytes 8..15)")
    return length


def _check_size(header: dict[str, Any], locations: list[dict[str, int]], body_offset: int, size: int) -> int:
    """The blob section's start, once the total size matches the header exactly."""
    body_bytes = int(header["steps"]) * int(header["num_bodies"]) * BYTES_PER_POSE
    blob_bytes = max((max(m["vertices_offset"] + 12 * m["vertex_count"], m["indices_offset"] + 4 * m["index_count"])
                      for m in locations), default=0)
    expected = body_offset + body_bytes + blob_bytes
    if size != expected:
        raise RolloutError(f"the header implies {expected} bytes ({body_offset} preamble and header + {body_bytes} "
                           f"body_q for {header['steps']} steps x {header['num_bodies']} bodies + {blob_bytes} mesh "
                           f"blob bytes) but there are {size}", field="size")
    return body_offset + body_bytes


def _read_mesh(f: Any, blob_start: int, location: dict[str, int], index: int) -> Mesh:
    f.seek(blob_start + location["vertices_offset"])
    vertices = np.frombuffer(f.read(12 * location["vertex_count"]), "<f4")
    f.seek(blob_start + location["indices_offset"])
    indices = np.frombuffer(f.read(4 * location["index_count"]), "<u4")
    return _mesh(vertices, indices, index)


def _mesh(vertices: np.ndarray, indices: np.ndarray, index: int) -> Mesh:
    try:
        return Mesh(vertices.reshape(-1, 3), indices)
    except RolloutError as error:
        raise error.within(f"meshes[{index}]", "mesh") from None


def _scene(header: dict[str, Any], shapes: list[Shape], viewer: Viewer | None, meshes: list[Mesh]) -> Scene:
    assets = header.get("assets") or []
    if not isinstance(assets, list):
        raise RolloutError("must be an array", field="assets")
    return Scene(shapes, header["num_bodies"], meshes, header.get("num_envs", 1), header.get("env_spacing", 0.0),
                 viewer, assets=[Asset.from_json(asset, f"assets[{i}]") for i, asset in enumerate(assets)],
                 env_origins=header.get("env_origins"))
