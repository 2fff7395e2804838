"""Image comparison for the look check: luma SSIM and mean absolute RGB difference."""

from __future__ import annotations

import numpy as np
from scipy.ndimage import gaussian_filter


def luma(rgb: np.ndarray) -> np.ndarray:
    """BT.709 luma of an 8-bit RGB image, in 0..255."""
    return rgb[..., :3].astype(np.float64) @ np.array([0.2126, 0.7152, 0.0722])


def ssim(a: np.ndarray, b: np.ndarray, sigma: float = 1.5) -> float:
    """Mean SSIM of two single-channel images in 0..255 (Wang et al. 2004: Gaussian window σ 1.5,
    K1 0.01, K2 0.03), the constants scikit-image uses with `gaussian_weights=True`."""
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    mu_a, mu_b = gaussian_filter(a, sigma), gaussian_filter(b, sigma)
    var_a = gaussian_filter(a * a, sigma) - mu_a**2
    var_b = gaussian_filter(b * b, sigma) - mu_b**2
    cov = gaussian_filter(a * b, sigma) - mu_a * mu_b
    s = ((2 * mu_a * mu_b + c1) * (2 * cov + c2)) / ((mu_a**2 + mu_b**2 + c1) * (var_a + var_b + c2))
    return float(s.mean())


def mean_abs_diff(a: np.ndarray, b: np.ndarray) -> float:
    """Mean absolute RGB difference in 0..255 levels."""
    return float(np.abs(a[..., :3].astype(np.int16) - b[..., :3].astype(np.int16)).mean())
