"""Frames of MP4 clips for the tests: decoded by ffmpeg, compared by luma SSIM and mean absolute RGB
difference (numpy only: the test venv has no scipy)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np


def probe(path: Path) -> dict[str, object]:
    """width, height, fps (a fraction string such as "60/1") and frames (counted by decoding)."""
    out = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                          "stream=width,height,r_frame_rate,nb_read_frames", "-of", "json", str(path)],
                         capture_output=True, text=True, check=True).stdout
    stream = json.loads(out)["streams"][0]
    return {"width": stream["width"], "height": stream["height"], "fps": stream["r_frame_rate"],
            "frames": int(stream["nb_read_frames"])}


def ffprobe_frames(path: Path) -> tuple[int, int, int]:
    """(frames, width, height) of an MP4's video stream, frames counted by decoding."""
    stream = probe(path)
    return stream["frames"], stream["width"], stream["height"]  # type: ignore[return-value]


def decode_rgb(path: Path, width: int, height: int) -> np.ndarray:
    """Every frame as uint8 ``[frames, height, width, 3]``."""
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, height, width, 3)


def luma(rgb: np.ndarray) -> np.ndarray:
    """BT.709 luma of 8-bit RGB, in 0..255."""
    return rgb[..., :3].astype(np.float64) @ np.array([0.2126, 0.7152, 0.0722])


def _gaussian(image: np.ndarray, sigma: float) -> np.ndarray:
    """Separable Gaussian blur (truncated at 4σ, edges reflected, as scipy.ndimage does)."""
    radius = int(4 * sigma + 0.5)
    taps = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    taps /= taps.sum()
    out = image
    for axis in (0, 1):
        padded = np.pad(out, [(radius, radius) if a == axis else (0, 0) for a in range(2)], mode="symmetric")
        out = sum(w * np.take(padded, np.arange(i, i + out.shape[axis]), axis=axis) for i, w in enumerate(taps))
    return out


def ssim(a: np.ndarray, b: np.ndarray, sigma: float = 1.5) -> float:
    """Mean SSIM of two single-channel images in 0..255 (Wang et al. 2004: Gaussian window σ 1.5,
    K1 0.01, K2 0.03)."""
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    mu_a, mu_b = _gaussian(a, sigma), _gaussian(b, sigma)
    var_a = _gaussian(a * a, sigma) - mu_a**2
    var_b = _gaussian(b * b, sigma) - mu_b**2
    cov = _gaussian(a * b, sigma) - mu_a * mu_b
    s = ((2 * mu_a * mu_b + c1) * (2 * cov + c2)) / ((mu_a**2 + mu_b**2 + c1) * (var_a + var_b + c2))
    return float(s.mean())


def mean_abs_diff(a: np.ndarray, b: np.ndarray) -> float:
    """Mean absolute RGB difference in 0..255 levels."""
    return float(np.abs(a[..., :3].astype(np.int16) - b[..., :3].astype(np.int16)).mean())
