"""The recording camera's view frustum, as the farm's renderer builds it, and sphere tests against it.

The farm's camera (Sources/FarmRender/Renderer/FrameCamera.swift) looks from ``eye`` at
``lookat`` with Z up (+Y when looking straight up or down), a horizontal field of view fitted to
the frame width (60° for both backends: Newton's ``fov=60`` and Kit's 18.147 mm focal length over a
20.955 mm aperture) and clips at ``near``/``far``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..rollout.values import as_float, as_floats


@dataclass(frozen=True)
class Camera:
    """A perspective camera in the farm's convention; frame size only sets the aspect ratio."""

    eye: tuple[float, float, float]
    lookat: tuple[float, float, float]
    width: int = 1280
    height: int = 720
    horizontal_fov: float = math.radians(60.0)
    near: float = 0.01
    far: float = 1000.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "eye", as_floats(self.eye, 3, "camera.eye"))
        object.__setattr__(self, "lookat", as_floats(self.lookat, 3, "camera.lookat"))
        object.__setattr__(self, "horizontal_fov", as_float(self.horizontal_fov, "camera.horizontal_fov"))
        if np.allclose(self.eye, self.lookat):
            raise ValueError("camera.lookat: must differ from camera.eye")
        if not 0 < self.horizontal_fov < math.pi:
            raise ValueError(f"camera.horizontal_fov: is {self.horizontal_fov} rad; must be in (0, pi)")

    @property
    def vertical_fov(self) -> float:
        return 2 * math.atan(math.tan(self.horizontal_fov / 2) * self.height / self.width)

    def basis(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Unit ``right``, ``up`` and ``forward`` vectors of the view."""
        forward = np.subtract(self.lookat, self.eye)
        forward /= np.linalg.norm(forward)
        up = np.array([0.0, 1.0, 0.0]) if abs(forward[2]) > 0.9999 else np.array([0.0, 0.0, 1.0])
        right = np.cross(forward, up)
        right /= np.linalg.norm(right)
        return right, np.cross(right, forward), forward

    def planes(self) -> np.ndarray:
        """``[6, 4]`` inward frustum planes ``(n, d)``: a point ``p`` is inside when ``n·p + d >= 0``
        for all six (four sides, near, far)."""
        right, up, forward = self.basis()
        eye = np.asarray(self.eye)
        tan_x, tan_y = math.tan(self.horizontal_fov / 2), math.tan(self.vertical_fov / 2)
        normals = [(tan_x * forward - right) / math.hypot(1.0, tan_x), (tan_x * forward + right) / math.hypot(1.0, tan_x),
                   (tan_y * forward - up) / math.hypot(1.0, tan_y), (tan_y * forward + up) / math.hypot(1.0, tan_y),
                   forward, -forward]
        offsets = [-n @ eye for n in normals[:4]] + [-(forward @ eye) - self.near, forward @ eye + self.far]
        return np.column_stack([np.array(normals), offsets])

    def spheres_visible(self, centers: np.ndarray, radii: np.ndarray | float) -> np.ndarray:
        """Whether each sphere may appear in the frame: ``False`` only when it lies wholly outside
        one frustum plane (conservative: spheres near a frustum corner can pass unseen)."""
        centers = np.asarray(centers, dtype=np.float64).reshape(-1, 3)
        radii = np.broadcast_to(np.asarray(radii, dtype=np.float64), (len(centers),))
        planes = self.planes()
        distances = centers @ planes[:, :3].T + planes[:, 3]
        visible: np.ndarray = (distances >= -radii[:, None]).all(axis=1)
        return visible

    def boxes_visible(self, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
        """Whether each axis-aligned box ``lower..upper`` may appear in the frame: ``False`` only when
        its corner furthest along a frustum plane's normal is outside that plane (conservative)."""
        lower = np.asarray(lower, dtype=np.float64).reshape(-1, 3)
        upper = np.asarray(upper, dtype=np.float64).reshape(-1, 3)
        planes = self.planes()
        normals = planes[:, :3]
        # For each box and plane, the corner that is most inside.
        corner = np.where(normals[None, :, :] >= 0, upper[:, None, :], lower[:, None, :])
        visible: np.ndarray = ((corner * normals[None]).sum(axis=-1) + planes[:, 3] >= 0).all(axis=1)
        return visible
