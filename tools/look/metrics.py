"""Image comparison for the look check: the tests' luma SSIM and mean absolute RGB difference
(python/tests/frames.py), so the look check and the live Isaac Lab parity test measure alike."""

from __future__ import annotations

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "python" / "tests"))

from frames import luma, mean_abs_diff, ssim  # noqa: E402

__all__ = ["luma", "mean_abs_diff", "ssim"]
